package dev.sluice.core.device;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ListLimit;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Violation;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.device.DeviceRepository.Registration;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Registers, lists and tags devices. Admins and operators change devices; auditors read them.
 * Registration is all-or-nothing: a bulk file with one bad row registers nothing, and the error
 * lists every bad row.
 */
public final class DeviceService {
  public static final int MAX_PAGE = ListLimit.MAX;

  /** The most row problems one error lists (the message gives the total). */
  static final int MAX_REPORTED = 1000;

  /** Bulk registrations name at most this many controller ids in their audit event. */
  private static final int AUDITED_IDS = 100;

  private static final Role[] WRITERS = {Role.ADMIN, Role.OPERATOR};
  private static final Role[] READERS = {Role.ADMIN, Role.OPERATOR, Role.AUDITOR};

  /** How long an Idempotency-Key of a bulk registration is remembered. */
  public static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final UnitOfWork<? extends DevicePorts> transactions;
  private final Clock clock;
  private final byte[] derivationSecret;

  /**
   * A service whose idempotent bulk registrations can be replayed only through this instance (its
   * derivation secret is random): for tests and single-instance tools.
   */
  public DeviceService(UnitOfWork<? extends DevicePorts> transactions, Clock clock) {
    this(transactions, clock, randomSecret());
  }

  /**
   * @param derivationSecret the secret the tokens of idempotent bulk registrations derive from;
   *     every server sharing the database must use the same ({@link #derivationSecret(char[])})
   */
  public DeviceService(
      UnitOfWork<? extends DevicePorts> transactions, Clock clock, byte[] derivationSecret) {
    this.transactions = transactions;
    this.clock = clock;
    if (derivationSecret.length < 16) {
      throw new IllegalArgumentException("a derivation secret has at least 16 bytes");
    }
    this.derivationSecret = derivationSecret.clone();
  }

  /** The derivation secret of a server whose online keys are protected by this passphrase. */
  public static byte[] derivationSecret(char[] passphrase) {
    java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(passphrase));
    byte[] raw = new byte[bytes.remaining()];
    bytes.get(raw);
    try {
      return DerivedTokens.serverSecret(raw.length == 0 ? new byte[1] : raw);
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
  }

  private static byte[] randomSecret() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** Registers one device; the result carries the generated token, if Sluice generated one. */
  public RegisteredDevice register(Principal actor, NewDevice spec) {
    actor.require(WRITERS);
    Instant now = clock.instant();
    return transactions.write(
        repos -> {
          requireProduct(repos, spec.product());
          if (!repos.devices().existing(List.of(spec.id())).isEmpty()) {
            throw alreadyRegistered(spec.id());
          }
          RegisteredDevice registered =
              insert(repos, List.of(spec), now, id -> DeviceTokens.generate()).get(0);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("product", spec.product().value());
          spec.tags().forEach(t -> detail.withArray("tags").add(t));
          detail.put("token", spec.token().isPresent() ? "provided" : "generated");
          audit(repos, actor, now, "device.registered", "device/" + spec.id(), detail);
          return registered;
        });
  }

  /** Registers every device of a parsed bulk file, or none (reporting every bad row). */
  public List<RegisteredDevice> registerAll(Principal actor, DeviceImport.Parsed parsed) {
    return registerAll(actor, parsed, Optional.empty()).devices();
  }

  /** The devices a bulk registration registered, and whether this answer is a replay. */
  public record BulkResult(List<RegisteredDevice> devices, boolean replayed) {
    public BulkResult {
      devices = List.copyOf(devices);
    }
  }

  /**
   * Registers every device of a parsed bulk file, or none (reporting every bad row). With an
   * Idempotency-Key, the generated tokens derive from it ({@link DerivedTokens}), and the same
   * caller sending the same key and request within {@link #IDEMPOTENCY_TTL} gets the same answer
   * again, tokens included (a client that lost the answer retries safely); the same key with
   * another request is a conflict.
   */
  public BulkResult registerAll(
      Principal actor, DeviceImport.Parsed parsed, Optional<Idempotency> idempotency) {
    actor.require(WRITERS);
    if (parsed.rows().isEmpty() && parsed.violations().isEmpty()) {
      throw new SluiceException.InvalidInput("the file lists no devices");
    }
    Instant now = clock.instant();
    return transactions.write(
        repos -> {
          Optional<IdempotencyKeys.Entry> entry = Optional.empty();
          if (idempotency.isPresent()) {
            Sha256 keyHash = keyHash(actor, idempotency.get());
            repos.idempotencyKeys().pruneBefore(now);
            Optional<IdempotencyKeys.Entry> stored = repos.idempotencyKeys().find(keyHash, now);
            if (stored.isPresent()) {
              return replay(repos, actor, parsed, idempotency.get(), stored.get(), now);
            }
            byte[] salt = new byte[32];
            RANDOM.nextBytes(salt);
            entry =
                Optional.of(
                    new IdempotencyKeys.Entry(
                        keyHash,
                        idempotency.get().request(),
                        Sha256.of(salt),
                        now,
                        now.plus(IDEMPOTENCY_TTL)));
          }
          Function<ControllerId, String> tokens =
              entry.isPresent()
                  ? new DerivedTokens(derivationSecret, entry.get().salt(), idempotency.get().key())
                      ::token
                  : id -> DeviceTokens.generate();
          List<Violation> problems = new ArrayList<>(parsed.violations());
          problems.addAll(crossRowProblems(repos, parsed.rows()));
          if (!problems.isEmpty()) {
            throw invalidRows(problems, parsed.rows().size() + parsed.violations().size());
          }
          List<NewDevice> specs = parsed.rows().stream().map(DeviceImport.Row::device).toList();
          List<RegisteredDevice> registered = insert(repos, specs, now, tokens);
          entry.ifPresent(repos.idempotencyKeys()::insert);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("count", specs.size());
          Map<String, Integer> perProduct = new TreeMap<>();
          specs.forEach(s -> perProduct.merge(s.product().value(), 1, Integer::sum));
          ObjectNode products = detail.putObject("products");
          perProduct.forEach(products::put);
          ArrayNode ids = detail.putArray("controller_ids");
          specs.stream().limit(AUDITED_IDS).forEach(s -> ids.add(s.id().value()));
          detail.put("idempotency_key", idempotency.isPresent());
          audit(repos, actor, now, "device.bulk-registered", "devices", detail);
          return new BulkResult(registered, false);
        });
  }

  /** The stored key: scoped to the caller, so no one else can replay (and read) the answer. */
  private static Sha256 keyHash(Principal actor, Idempotency idempotency) {
    return Sha256.of(
        ("sluice-idempotency-v1\0" + actor.name() + "\0" + idempotency.key())
            .getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Answers a request made before with the same key: the same request gets the same devices and
   * tokens (re-derived, then checked against the stored hashes); another request is a conflict.
   */
  private BulkResult replay(
      DevicePorts repos,
      Principal actor,
      DeviceImport.Parsed parsed,
      Idempotency idempotency,
      IdempotencyKeys.Entry stored,
      Instant now) {
    if (!stored.request().matches(idempotency.request())) {
      throw new SluiceException.Conflict(
          SluiceException.ConflictKind.IDEMPOTENCY_KEY_REUSED,
          "this Idempotency-Key was used at "
              + stored.createdAt()
              + " with a different request; use a new key for a new request");
    }
    DerivedTokens derived = new DerivedTokens(derivationSecret, stored.salt(), idempotency.key());
    List<RegisteredDevice> out = new ArrayList<>(parsed.rows().size());
    int changed = 0;
    for (DeviceImport.Row row : parsed.rows()) {
      NewDevice spec = row.device();
      Optional<Device> device = repos.devices().find(spec.id());
      if (device.isEmpty()) {
        changed++;
        continue;
      }
      String token = spec.token().orElseGet(() -> derived.token(spec.id()));
      Sha256 expected = DeviceTokens.hash(token);
      if (!repos.devices().targetTokenHash(spec.id()).map(expected::matches).orElse(false)) {
        changed++;
        continue;
      }
      out.add(
          new RegisteredDevice(
              device.get(), spec.token().isPresent() ? Optional.empty() : Optional.of(token)));
    }
    if (changed > 0) {
      throw new SluiceException.Conflict(
          SluiceException.ConflictKind.ILLEGAL_TRANSITION,
          changed
              + " of the "
              + parsed.rows().size()
              + " devices this request registered have had their token rotated or revoked, or"
              + " were decommissioned, since; rotate their tokens instead (POST"
              + " /api/v1/devices/rotate-tokens)");
    }
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("count", out.size());
    detail.put("registered_at", stored.createdAt().toString());
    audit(repos, actor, now, "device.bulk-registration-replayed", "devices", detail);
    return new BulkResult(out, true);
  }

  /** Duplicates within the file, ids already registered, and unknown products. */
  private static List<Violation> crossRowProblems(DevicePorts repos, List<DeviceImport.Row> rows) {
    List<Violation> problems = new ArrayList<>();
    Map<ControllerId, String> firstSeen = new HashMap<>();
    Map<ProductName, Boolean> known = new HashMap<>();
    Set<ControllerId> taken =
        repos.devices().existing(rows.stream().map(r -> r.device().id()).toList());
    for (DeviceImport.Row row : rows) {
      NewDevice d = row.device();
      String earlier = firstSeen.putIfAbsent(d.id(), row.location());
      if (earlier != null) {
        problems.add(
            new Violation(row.location(), "controller id '" + d.id() + "' repeats " + earlier));
      } else if (taken.contains(d.id())) {
        problems.add(
            new Violation(row.location(), "controller id '" + d.id() + "' is already registered"));
      }
      if (!known.computeIfAbsent(d.product(), p -> repos.products().find(p).isPresent())) {
        problems.add(new Violation(row.location(), "no product '" + d.product() + "'"));
      }
    }
    return problems;
  }

  private static SluiceException.InvalidInput invalidRows(List<Violation> problems, int rows) {
    List<Violation> sorted = new ArrayList<>(problems);
    sorted.sort(
        (a, b) -> {
          int c = Long.compare(position(a.location()), position(b.location()));
          return c != 0 ? c : a.location().compareTo(b.location());
        });
    Set<String> badRows = new LinkedHashSet<>();
    sorted.forEach(v -> badRows.add(v.location()));
    String message =
        badRows.size()
            + " of "
            + rows
            + " rows are invalid; nothing was registered"
            + (sorted.size() > MAX_REPORTED
                ? " (the first " + MAX_REPORTED + " problems follow)"
                : "");
    return new SluiceException.InvalidInput(
        message, sorted.subList(0, Math.min(sorted.size(), MAX_REPORTED)), null);
  }

  private static long position(String location) {
    String digits = location.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? 0 : Long.parseLong(digits);
  }

  private static List<RegisteredDevice> insert(
      DevicePorts repos,
      List<NewDevice> specs,
      Instant now,
      Function<ControllerId, String> tokens) {
    List<Registration> registrations = new ArrayList<>(specs.size());
    List<RegisteredDevice> out = new ArrayList<>(specs.size());
    for (NewDevice spec : specs) {
      Optional<String> generated =
          spec.token().isPresent() ? Optional.empty() : Optional.of(tokens.apply(spec.id()));
      String token = spec.token().orElseGet(generated::orElseThrow);
      Device device = Device.registered(spec.id(), spec.product(), spec.tags(), now);
      registrations.add(new Registration(device, DeviceTokens.hash(token)));
      out.add(new RegisteredDevice(device, generated));
    }
    repos.devices().insertAll(registrations);
    return out;
  }

  public Device device(Principal actor, ControllerId id) {
    actor.require(READERS);
    return transactions
        .read(repos -> repos.devices().find(id))
        .orElseThrow(() -> new SluiceException.NotFound("device", id.value()));
  }

  /**
   * A page of the devices the filter selects, optionally of one product, after a cursor.
   *
   * @param filter the filter text ({@code docs/device-filters.md}); blank selects all
   * @param limit 1 to {@link #MAX_PAGE}
   */
  public DevicePage list(
      Principal actor,
      Optional<ProductName> product,
      String filter,
      Optional<ControllerId> after,
      int limit) {
    actor.require(READERS);
    if (limit < 1 || limit > MAX_PAGE) {
      throw new SluiceException.InvalidInput("limit must be between 1 and " + MAX_PAGE);
    }
    FilterNode parsed = DeviceFilters.parse(filter);
    List<Device> found =
        transactions.read(repos -> repos.devices().list(product, parsed, after, limit + 1));
    if (found.size() <= limit) {
      return new DevicePage(found, Optional.empty());
    }
    List<Device> page = found.subList(0, limit);
    return new DevicePage(page, Optional.of(page.get(limit - 1).id()));
  }

  /** How many devices the filter selects, optionally of one product. */
  public long count(Principal actor, Optional<ProductName> product, String filter) {
    actor.require(READERS);
    FilterNode parsed = DeviceFilters.parse(filter);
    return transactions.read(repos -> repos.devices().count(product, parsed));
  }

  /** Adds and removes tags; a tag may not be both added and removed. */
  public Device tag(Principal actor, ControllerId id, Set<String> add, Set<String> remove) {
    actor.require(WRITERS);
    Set<String> adding;
    Set<String> removing;
    try {
      adding = DeviceTags.checkAll(add);
      removing = new TreeSet<>(remove);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.InvalidInput(e.getMessage(), List.of(), e);
    }
    Set<String> both = new TreeSet<>(adding);
    both.retainAll(removing);
    if (!both.isEmpty()) {
      throw new SluiceException.InvalidInput(
          "tags both added and removed: " + String.join(", ", both));
    }
    if (adding.isEmpty() && removing.isEmpty()) {
      throw new SluiceException.InvalidInput("name tags to add or remove");
    }
    Instant now = clock.instant();
    return transactions.write(
        repos -> {
          Device device =
              repos
                  .devices()
                  .findForUpdate(id)
                  .orElseThrow(() -> new SluiceException.NotFound("device", id.value()));
          Set<String> tags = new TreeSet<>(device.tags());
          tags.addAll(adding);
          tags.removeAll(removing);
          if (tags.size() > DeviceTags.MAX_TAGS) {
            throw new SluiceException.InvalidInput(
                "a device has at most " + DeviceTags.MAX_TAGS + " tags");
          }
          if (tags.equals(device.tags())) {
            return device;
          }
          repos.devices().updateTags(id, tags, now);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          adding.stream()
              .filter(t -> !device.tags().contains(t))
              .forEach(t -> detail.withArray("added").add(t));
          removing.stream()
              .filter(device.tags()::contains)
              .forEach(t -> detail.withArray("removed").add(t));
          audit(repos, actor, now, "device.tagged", "device/" + id, detail);
          return repos.devices().find(id).orElseThrow();
        });
  }

  private static void requireProduct(DevicePorts repos, ProductName product) {
    if (repos.products().find(product).isEmpty()) {
      throw new SluiceException.NotFound("product", product.value());
    }
  }

  private static SluiceException.Conflict alreadyRegistered(ControllerId id) {
    return new SluiceException.Conflict(
        SluiceException.ConflictKind.ALREADY_EXISTS, "device '" + id + "' is already registered");
  }

  private static void audit(
      DevicePorts repos,
      Principal actor,
      Instant at,
      String action,
      String subject,
      ObjectNode detail) {
    repos.audit().append(AuditEvent.draft(at, actor.name(), action, subject, detail));
  }
}
