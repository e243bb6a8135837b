package dev.sluice.server.web;

import dev.sluice.core.product.Product;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An Atom feed (RFC 4287) of one product's publications and revocations, newest first, so that
 * people and tools can follow them. Each entry links to the release's portal page.
 */
final class AtomFeed {
  private AtomFeed() {}

  private record Entry(String id, String title, Instant at, String link, String summary) {}

  static byte[] of(String base, Product product, List<ReleaseFacts.Row> rows) {
    List<Entry> entries = new ArrayList<>();
    for (ReleaseFacts.Row row : rows) {
      String link = base + "/releases/" + row.id();
      String version = row.release().version().value();
      row.published()
          .ifPresent(
              p ->
                  entries.add(
                      new Entry(
                          "urn:sluice:release:" + row.id() + ":published",
                          product.name().value() + " " + version + " published",
                          p.at(),
                          link,
                          "Published"
                              + p.index().map(i -> " at transparency log index " + i).orElse("")
                              + ". Manifest SHA-256 "
                              + row.release().manifestSha256().hex()
                              + ".")));
      row.revoked()
          .ifPresent(
              r ->
                  entries.add(
                      new Entry(
                          "urn:sluice:release:" + row.id() + ":revoked",
                          product.name().value() + " " + version + " revoked",
                          r.at(),
                          link,
                          "Revoked"
                              + r.index().map(i -> " at transparency log index " + i).orElse("")
                              + ".")));
    }
    entries.sort(Comparator.comparing(Entry::at).reversed());
    Instant updated = entries.isEmpty() ? product.createdAt() : entries.getFirst().at();
    StringBuilder xml = new StringBuilder();
    xml.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
        .append("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n")
        .append("  <id>urn:sluice:product:")
        .append(Svg.escape(product.name().value()))
        .append("</id>\n  <title>")
        .append(Svg.escape(product.name().value()))
        .append(" releases</title>\n  <updated>")
        .append(Fmt.iso(updated))
        .append("</updated>\n  <link rel=\"self\" href=\"")
        .append(Svg.escape(base + "/feeds/" + product.name().value() + ".atom"))
        .append("\"/>\n  <link rel=\"alternate\" href=\"")
        .append(Svg.escape(base + "/"))
        .append("\"/>\n  <author><name>Sluice</name></author>\n");
    for (Entry e : entries) {
      xml.append("  <entry>\n    <id>")
          .append(Svg.escape(e.id()))
          .append("</id>\n    <title>")
          .append(Svg.escape(e.title()))
          .append("</title>\n    <updated>")
          .append(Fmt.iso(e.at()))
          .append("</updated>\n    <link href=\"")
          .append(Svg.escape(e.link()))
          .append("\"/>\n    <summary>")
          .append(Svg.escape(e.summary()))
          .append("</summary>\n  </entry>\n");
    }
    xml.append("</feed>\n");
    return xml.toString().getBytes(StandardCharsets.UTF_8);
  }
}
