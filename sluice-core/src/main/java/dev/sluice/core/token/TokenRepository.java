package dev.sluice.core.token;

import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API tokens, stored by the SHA-256 of their secret and named by their public id. */
public interface TokenRepository {
  void insert(ApiToken token);

  Optional<ApiToken> find(Sha256 tokenSha256);

  Optional<ApiToken> findById(TokenId id);

  /** Every token (revoked and expired ones included), oldest first. */
  List<ApiToken> list();

  /**
   * At most {@code limit} tokens (revoked and expired ones included) in id order, which is creation
   * order to the millisecond (ids are ULIDs), those past {@code after} when it is given.
   */
  List<ApiToken> list(Optional<TokenId> after, int limit);

  /** Marks the token revoked at {@code at}; false if it was revoked already. */
  boolean revoke(TokenId id, Instant at);

  /**
   * The hashes of tokens revoked at or after {@code since}, or that expired between {@code since}
   * and {@code now}: servers drop what they cached about them.
   */
  List<Sha256> invalidatedBetween(Instant since, Instant now);

  /** How many tokens exist (revoked ones included); zero means the server was never set up. */
  long count();
}
