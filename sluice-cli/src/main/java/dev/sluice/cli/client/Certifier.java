package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A registered certifier: typed accessors over the JSON the server sent. */
public record Certifier(JsonNode json) {
  public Certifier {
    Fields.object(json, "a certifier");
    Fields.text(json, "id");
  }

  /** One of the certifier's public keys. */
  public record Key(String keyId, String keytype, String scheme) {}

  public String id() {
    return Fields.text(json, "id");
  }

  public String displayName() {
    return Fields.optionalText(json, "display_name").orElse("");
  }

  public List<Key> keys() {
    return Fields.objects(json, "keys").stream()
        .map(
            k ->
                new Key(
                    Fields.text(k, "keyid"),
                    Fields.optionalText(k, "keytype").orElse(""),
                    Fields.optionalText(k, "scheme").orElse("")))
        .toList();
  }

  public String createdAt() {
    return Fields.optionalText(json, "created_at").orElse("");
  }
}
