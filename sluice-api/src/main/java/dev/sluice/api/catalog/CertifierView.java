package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A certifier and its current keys. Each key is a TUF key object (keytype, scheme, keyval) with its
 * {@code keyid}: the trust module's form, passed on as a tree.
 *
 * @param version how many key changes the certifier has had
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CertifierView(
    String id, String displayName, List<ObjectNode> keys, String createdAt, long version) {
  public CertifierView {
    keys = keys == null ? List.of() : List.copyOf(keys);
  }
}
