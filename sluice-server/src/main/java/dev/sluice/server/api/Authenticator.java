package dev.sluice.server.api;

import dev.sluice.core.SluiceException;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.token.TokenService;
import dev.sluice.server.http.Call;

/** Reads the caller's bearer token and resolves it to a principal. */
public final class Authenticator {
  private final TokenService tokens;

  public Authenticator(TokenService tokens) {
    this.tokens = tokens;
  }

  public Principal principal(Call call) {
    String header =
        call.header("Authorization")
            .orElseThrow(
                () ->
                    new SluiceException.Unauthenticated(
                        "this API needs an 'Authorization: Bearer <token>' header"));
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new SluiceException.Unauthenticated(
          "the Authorization header must be 'Bearer <token>'");
    }
    return tokens.authenticate(header.substring(7).strip());
  }
}
