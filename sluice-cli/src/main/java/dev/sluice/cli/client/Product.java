package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A product: typed accessors over the JSON the server sent. */
public record Product(JsonNode json) {
  public Product {
    Fields.object(json, "a product");
    Fields.text(json, "name");
  }

  /** One standard of the product's set. */
  public record Standard(String id, String title, String severity) {}

  public String name() {
    return Fields.text(json, "name");
  }

  public String description() {
    return Fields.optionalText(json, "description").orElse("");
  }

  public List<String> certifiers() {
    return Fields.texts(json, "certifiers");
  }

  public int threshold() {
    return (int) Fields.number(json, "threshold");
  }

  public long maxArtifactSize() {
    return Fields.number(json, "max_artifact_size");
  }

  public String standardsSetId() {
    return Fields.optionalText(json.path("standards"), "id").orElse("?");
  }

  public long standardsVersion() {
    return json.path("standards").path("version").asLong();
  }

  public List<Standard> standards() {
    return Fields.objects(json.path("standards"), "standards").stream()
        .map(
            s ->
                new Standard(
                    Fields.text(s, "id"),
                    Fields.optionalText(s, "title").orElse(""),
                    Fields.optionalText(s, "severity").orElse("")))
        .toList();
  }

  public String createdAt() {
    return Fields.optionalText(json, "created_at").orElse("");
  }
}
