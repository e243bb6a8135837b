package dev.sluice.core.publication;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.tuf.PendingMetadata;
import dev.sluice.core.tuf.TufRepository;
import dev.sluice.core.tuf.TufRoles;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.model.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Products whose delegated targets role is signed offline: registering the key (or going back to
 * the server's online key), listing the role metadata that waits for a signature, and accepting the
 * holder's signature, which publishes the metadata and completes every publication and revocation
 * of the product that waited for it, in one transaction.
 */
public final class OfflineSigning {
  private final UnitOfWork<? extends PublicationPorts> transactions;
  private final TufRepository tuf;
  private final Clock clock;

  public OfflineSigning(
      UnitOfWork<? extends PublicationPorts> transactions, TufRepository tuf, Clock clock) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.tuf = Objects.requireNonNull(tuf, "tuf");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A role's metadata published with its offline signature, and the releases it completed. */
  public record Signed(ProductName product, long version, List<ReleaseId> completed) {
    public Signed {
      Objects.requireNonNull(product, "product");
      completed = List.copyOf(completed);
    }
  }

  /**
   * The product's role is signed offline by {@code key} from now on (admin).
   *
   * @return the role's metadata now waiting for that key, if any
   */
  public Optional<PendingMetadata> setOfflineKey(
      Principal actor, ProductName product, VerificationKey key) {
    actor.require(Role.ADMIN);
    return transactions.write(
        repos -> {
          requireProduct(repos, product);
          Optional<PendingMetadata> pending = tuf.offline().setOfflineKey(repos, product, key);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("key_id", key.keyId());
          Completion.audit(
              repos, actor, clock.instant(), "tuf.product_key.offline", subject(product), detail);
          return pending;
        });
  }

  /**
   * The product's role is signed by the server's online key again (admin); metadata that waited for
   * the offline key is published with the online key, completing its releases.
   *
   * @return the releases completed
   */
  public List<ReleaseId> setOnline(Principal actor, ProductName product) {
    actor.require(Role.ADMIN);
    // The product's online key may never have existed: open (or create) it outside the
    // transaction (see TufRepository#prepareKeys).
    tuf.prepareKeys(Optional.of(product), false);
    return transactions.write(
        repos -> {
          requireProduct(repos, product);
          Instant now = clock.instant();
          boolean published = tuf.offline().setOnline(repos, product);
          List<ReleaseId> done =
              published ? Completion.completeAwaiting(repos, actor, product, now) : List.of();
          Completion.audit(
              repos,
              actor,
              now,
              "tuf.product_key.online",
              subject(product),
              JsonNodeFactory.instance.objectNode());
          return done;
        });
  }

  /** Every role's metadata waiting for an offline signature (admin, release-manager, auditor). */
  public List<PendingMetadata> pending(Principal actor) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER, Role.AUDITOR);
    return transactions.read(tuf.offline()::pending);
  }

  /**
   * The product role's pending metadata.
   *
   * @throws SluiceException.NotFound if nothing of the product waits for a signature
   */
  public PendingMetadata pending(Principal actor, ProductName product) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER, Role.AUDITOR);
    return transactions
        .read(repos -> tuf.offline().pending(repos, product))
        .orElseThrow(() -> new SluiceException.NotFound("pending TUF metadata", product.value()));
  }

  /** The product's offline key, if its role is signed offline. */
  public Optional<VerificationKey> offlineKey(Principal actor, ProductName product) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER, Role.AUDITOR);
    return transactions.read(repos -> tuf.offline().offlineKey(repos, product));
  }

  /**
   * Accepts the offline signature of the product role's pending metadata (admin, release-manager):
   * see {@link dev.sluice.core.tuf.OfflineProductRoles#completePending}. Submitting it again after
   * it was accepted changes nothing.
   */
  public Signed submitSignature(
      Principal actor, ProductName product, Signature signature, Sha256 signedSha256) {
    actor.require(Role.ADMIN, Role.RELEASE_MANAGER);
    return transactions.write(
        repos -> {
          boolean wasPending = tuf.offline().pending(repos, product).isPresent();
          long version = tuf.offline().completePending(repos, product, signature, signedSha256);
          if (!wasPending) {
            return new Signed(product, version, List.of());
          }
          Instant now = clock.instant();
          List<ReleaseId> done = Completion.completeAwaiting(repos, actor, product, now);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("version", version);
          detail.put("key_id", signature.keyId());
          var releases = detail.putArray("releases");
          done.forEach(id -> releases.add(id.value()));
          Completion.audit(repos, actor, now, "tuf.role_signed", subject(product), detail);
          return new Signed(product, version, done);
        });
  }

  private static void requireProduct(PublicationPorts repos, ProductName product) {
    repos
        .products()
        .find(product)
        .orElseThrow(() -> new SluiceException.NotFound("product", product.value()));
    TufRoles.roleName(product);
  }

  private static String subject(ProductName product) {
    return "product/" + product.value();
  }
}
