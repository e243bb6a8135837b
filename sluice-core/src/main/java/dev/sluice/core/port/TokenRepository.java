package dev.sluice.core.port;

import dev.sluice.core.auth.ApiToken;
import dev.sluice.trust.hash.Sha256;
import java.util.Optional;

/** API tokens, stored by the SHA-256 of their secret. */
public interface TokenRepository {
  void insert(ApiToken token);

  Optional<ApiToken> find(Sha256 tokenSha256);

  /** How many tokens exist (revoked ones included); zero means the server was never set up. */
  long count();
}
