package dev.sluice.server.ddi;

import dev.sluice.core.SluiceException;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.token.ApiToken;
import dev.sluice.core.token.TokenService;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Who may speak for a controller id on the device API: the device itself with its {@code
 * TargetToken}, a {@code GatewayToken} of the device's product (which registers an unknown
 * controller id as a device of its product on first poll), or, when configured, anyone for a
 * registered device. Anything else is 401 (no or a wrong credential) or 403 (a gateway of another
 * product).
 */
public final class DdiAccess {
  static final String TARGET = "TargetToken ";
  static final String GATEWAY = "GatewayToken ";
  private static final int MAX_TOKEN = 512;

  private final Transactions transactions;
  private final TokenService tokens;
  private final boolean anonymous;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public DdiAccess(Transactions transactions, TokenService tokens, boolean anonymous, Clock clock) {
    this.transactions = transactions;
    this.tokens = tokens;
    this.anonymous = anonymous;
    this.clock = clock;
  }

  /** A credential as presented: its kind and the SHA-256 of its secret. */
  record Credential(Kind kind, Optional<String> secret) {
    enum Kind {
      TARGET,
      GATEWAY,
      NONE
    }

    Sha256 sha256() {
      return Sha256.of(secret.orElse("").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Reads the Authorization header; a header of any other form is refused. */
  static Credential credential(Optional<String> header) {
    if (header.isEmpty()) {
      return new Credential(Credential.Kind.NONE, Optional.empty());
    }
    String h = header.get();
    if (h.length() > MAX_TOKEN) {
      throw new SluiceException.Unauthenticated("the Authorization header is too long");
    }
    if (h.regionMatches(true, 0, TARGET, 0, TARGET.length())) {
      return new Credential(
          Credential.Kind.TARGET, Optional.of(h.substring(TARGET.length()).strip()));
    }
    if (h.regionMatches(true, 0, GATEWAY, 0, GATEWAY.length())) {
      return new Credential(
          Credential.Kind.GATEWAY, Optional.of(h.substring(GATEWAY.length()).strip()));
    }
    throw new SluiceException.Unauthenticated(
        "the device API takes 'Authorization: TargetToken <token>' or 'GatewayToken <token>'");
  }

  /** The gateway token's product, if the secret is a valid device-gateway token. */
  Optional<ProductName> gatewayProduct(String secret) {
    return tokens.gateway(secret).flatMap(ApiToken::product);
  }

  /**
   * Checks the credential for the controller id and returns the device; a gateway registers an
   * unknown device when {@code mayRegister}.
   */
  Device authorize(Credential credential, ControllerId id, boolean mayRegister) {
    return switch (credential.kind()) {
      case TARGET -> {
        Sha256 presented = credential.sha256();
        Optional<Device> device =
            transactions.read(
                repos ->
                    repos
                        .devices()
                        .targetTokenHash(id)
                        .filter(presented::matches)
                        .flatMap(h -> repos.devices().find(id)));
        yield device.orElseThrow(
            () -> new SluiceException.Unauthenticated("unknown device or wrong target token"));
      }
      case GATEWAY -> {
        ProductName product =
            gatewayProduct(credential.secret().orElse(""))
                .orElseThrow(
                    () -> new SluiceException.Unauthenticated("the gateway token is not valid"));
        Optional<Device> known = transactions.read(repos -> repos.devices().find(id));
        Device device =
            known.isPresent()
                ? known.get()
                : mayRegister ? transactions.write(repos -> register(repos, id, product)) : null;
        if (device == null) {
          throw new SluiceException.NotFound("device", id.value());
        }
        if (device.decommissioned()) {
          throw new SluiceException.Unauthenticated("the device is decommissioned");
        }
        if (!device.product().equals(product)) {
          throw new SluiceException.Forbidden(
              "this gateway token serves product " + product.value() + ", not this device");
        }
        yield device;
      }
      case NONE -> {
        if (!anonymous) {
          throw new SluiceException.Unauthenticated(
              "the device API needs 'Authorization: TargetToken <token>' or 'GatewayToken"
                  + " <token>'");
        }
        yield transactions
            .read(repos -> repos.devices().find(id))
            .filter(d -> !d.decommissioned())
            .orElseThrow(
                () -> new SluiceException.Unauthenticated("anonymous access is for known devices"));
      }
    };
  }

  /**
   * Checks a target token or anonymous credential against what one read found: the device and its
   * token's hash ({@link #authorize} reads them itself). Not for gateway tokens.
   */
  Device check(Credential credential, Optional<Device> device, Optional<Sha256> tokenHash) {
    return switch (credential.kind()) {
      case TARGET -> {
        Sha256 presented = credential.sha256();
        if (device.isEmpty() || !tokenHash.map(presented::matches).orElse(false)) {
          throw new SluiceException.Unauthenticated("unknown device or wrong target token");
        }
        yield device.get();
      }
      case NONE -> {
        if (!anonymous) {
          throw new SluiceException.Unauthenticated(
              "the device API needs 'Authorization: TargetToken <token>' or 'GatewayToken"
                  + " <token>'");
        }
        yield device
            .filter(d -> !d.decommissioned())
            .orElseThrow(
                () -> new SluiceException.Unauthenticated("anonymous access is for known devices"));
      }
      case GATEWAY -> throw new IllegalArgumentException("gateway tokens go through authorize");
    };
  }

  boolean anonymousAllowed() {
    return anonymous;
  }

  /**
   * Registers a device a gateway polls for. Its target token is random and not shown to anyone: the
   * gateway speaks for it until an operator issues it a token of its own.
   */
  private Device register(Repositories repos, ControllerId id, ProductName product) {
    Optional<Device> raced = repos.devices().find(id);
    if (raced.isPresent()) {
      return raced.get();
    }
    if (repos.products().find(product).isEmpty()) {
      throw new SluiceException.NotFound("product", product.value());
    }
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    Device device = Device.registered(id, product, Set.of(), clock.instant());
    repos.devices().insert(device, Sha256.of(secret));
    repos
        .audit()
        .append(
            dev.sluice.core.audit.AuditEvent.draft(
                clock.instant(),
                "gateway/" + product.value(),
                "device.registered",
                "device/" + id.value(),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode()
                    .put("product", product.value())
                    .put("via", "ddi-gateway")));
    return device;
  }
}
