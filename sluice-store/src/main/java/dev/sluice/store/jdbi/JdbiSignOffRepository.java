package dev.sluice.store.jdbi;

import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.certification.Decision;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.certification.SignOffRepository;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.trust.hash.Sha256;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Sign-offs in {@code signoffs}; the primary key (release, certifier) allows one decision. */
final class JdbiSignOffRepository implements SignOffRepository {
  private final Handle handle;

  JdbiSignOffRepository(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(SignOff signOff) {
    int inserted =
        handle
            .createUpdate(
                """
                INSERT INTO signoffs
                  (release_id, certifier_id, key_id, decision, reason, statement_sha256,
                   signature, signed_at)
                VALUES
                  (:releaseId, :certifier, :keyId, :decision, :reason, :statementSha256,
                   :signature, :signedAt)
                ON CONFLICT DO NOTHING
                """)
            .bind("releaseId", signOff.releaseId().value())
            .bind("certifier", signOff.certifier().value())
            .bind("keyId", signOff.keyId())
            .bind("decision", signOff.decision().wireName())
            .bind("reason", signOff.reason().orElse(null))
            .bind("statementSha256", signOff.statementSha256().hex())
            .bind("signature", signOff.signatureBase64())
            .bind("signedAt", Columns.millis(signOff.signedAt()))
            .execute();
    if (inserted == 0) {
      throw new Conflict(
          ConflictKind.ALREADY_DECIDED,
          "certifier '"
              + signOff.certifier()
              + "' has already decided on release "
              + signOff.releaseId());
    }
  }

  @Override
  public List<SignOff> list(ReleaseId id) {
    return handle
        .createQuery(
            """
            SELECT release_id, certifier_id, key_id, decision, reason, statement_sha256,
              signature, signed_at
            FROM signoffs WHERE release_id = :id
            ORDER BY signed_at, certifier_id
            """)
        .bind("id", id.value())
        .map(
            (rs, ctx) ->
                new SignOff(
                    new ReleaseId(rs.getString("release_id")),
                    new CertifierId(rs.getString("certifier_id")),
                    rs.getString("key_id"),
                    Decision.fromWire(rs.getString("decision")),
                    Columns.optionalString(rs, "reason"),
                    new Sha256(rs.getString("statement_sha256")),
                    rs.getString("signature"),
                    Columns.instant(rs, "signed_at")))
        .list();
  }
}
