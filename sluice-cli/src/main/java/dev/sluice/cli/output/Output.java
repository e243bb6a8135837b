package dev.sluice.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.api.WireJson;
import dev.sluice.cli.client.ApiException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** How {@code sluice} prints: JSON, aligned tables, and the server's problems. */
public final class Output {
  private static final ObjectMapper PRETTY = WireJson.PRETTY;

  private Output() {}

  /** Prints {@code json} indented, for people and for {@code jq}. */
  public static void json(PrintWriter out, JsonNode json) {
    try {
      out.println(PRETTY.writeValueAsString(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** Prints {@code items} as one indented JSON array (a list command's {@code --json}). */
  public static void jsonArray(PrintWriter out, Stream<JsonNode> items) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    items.forEach(array::add);
    json(out, array);
  }

  /** Prints rows under a header, columns padded to their widest cell; the last is not padded. */
  public static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] widths = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size() && i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** Prints a server refusal: status, title and detail on one line, then one line per violation. */
  public static void problem(PrintWriter err, ApiException e) {
    StringBuilder line = new StringBuilder("sluice: the server refused (");
    line.append(e.status()).append(' ').append(e.title()).append(')');
    e.detail().ifPresent(d -> line.append(": ").append(d));
    err.println(line);
    for (ApiException.Violation v : e.violations()) {
      err.println("  - " + (v.location().isBlank() ? "" : v.location() + ": ") + v.message());
    }
  }

  /** A state's wire name as shown to people: {@code CHECKED}. */
  public static String state(String wireName) {
    return wireName.toUpperCase(java.util.Locale.ROOT);
  }

  /** The first {@code n} characters of a digest, enough to recognize it. */
  public static String shortDigest(String hex) {
    return hex.length() <= 12 ? hex : hex.substring(0, 12);
  }
}
