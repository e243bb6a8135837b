package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.catalog.ProductView;
import dev.sluice.api.catalog.StandardsSetView;
import java.util.List;

/** A product: the wire record and the exact JSON received (for {@code --json}). */
public record Product(JsonNode json, ProductView view, StandardsSetView standardsSet) {
  public Product {
    Answers.required(view.name(), "name", "a product");
  }

  public Product(JsonNode json) {
    this(json, Answers.bind(json, ProductView.class, "a product"));
  }

  private Product(JsonNode json, ProductView view) {
    this(
        json,
        view,
        view.standards() == null || view.standards().isNull()
            ? new StandardsSetView("?", 0, List.of())
            : Answers.bind(view.standards(), StandardsSetView.class, "a standards set"));
  }

  public String name() {
    return view.name();
  }

  public String description() {
    return Answers.orEmpty(view.description());
  }

  public List<String> certifiers() {
    return view.certifiers();
  }

  public int threshold() {
    return view.threshold();
  }

  public long maxArtifactSize() {
    return view.maxArtifactSize();
  }

  public String standardsSetId() {
    return standardsSet.id() == null ? "?" : standardsSet.id();
  }

  public long standardsVersion() {
    return standardsSet.version();
  }

  public List<StandardsSetView.Standard> standards() {
    return standardsSet.standards();
  }

  public String createdAt() {
    return Answers.orEmpty(view.createdAt());
  }
}
