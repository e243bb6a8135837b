package dev.sluice.server.log;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.core.SluiceException;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.HashTileId;
import dev.sluice.trust.tlog.MalformedTileException;
import dev.sluice.trust.tlog.TileId;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The public, read-only transparency log (no token): C2SP tlog-tiles at {@code /log/} ({@code
 * checkpoint}, {@code tile/<L>/<N>[.p/<W>]}, {@code tile/entries/<N>[.p/<W>]}) and JSON proofs in
 * RFC 9162 order at {@code /log/v1/}. Full tiles never change and are cacheable for a year; partial
 * tiles briefly; the checkpoint for a few seconds. Each carries a strong ETag; {@code
 * If-None-Match} gets a 304.
 */
public final class LogEndpoints {
  static final String FULL_TILE_CACHE = "public, max-age=31536000, immutable";
  static final String PARTIAL_TILE_CACHE = "public, max-age=60";
  // Short: a checkpoint advances with every append; a CDN absorbs polling verifiers' requests.
  static final String CHECKPOINT_CACHE = "public, max-age=5";
  private static final String TILE_PREFIX = "/log/tile/";
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,17}");
  private static final Pattern HEX_HASH = Pattern.compile("[0-9a-fA-F]{64}");

  private static final String TILE_TYPE = "application/octet-stream";

  private final TransparencyLog log;
  private final ImmutableTags tileTags = new ImmutableTags(ImmutableTags.DEFAULT_MAX_ENTRIES);

  public LogEndpoints(TransparencyLog log) {
    this.log = log;
  }

  public void register(Router router) {
    router.get("/log/checkpoint", Access.publicRead(), this::checkpoint).produces("text/plain");
    router
        .getPrefix(TILE_PREFIX, Access.publicRead(), this::tileFromMemory, this::tile)
        .produces("application/octet-stream");
    router
        .get("/log/v1/inclusion", Access.publicRead(), this::inclusion)
        .query("index", "tree_size");
    router
        .get("/log/v1/consistency", Access.publicRead(), this::consistency)
        .query("old_size", "tree_size");
    router.get("/log/v1/lookup", Access.publicRead(), this::lookup).query("leaf_hash");
    router.get("/log/v1/key", Access.publicRead(), this::key).produces("text/plain");
  }

  private void checkpoint(Call call) throws IOException {
    call.cacheable(
        "text/plain; charset=utf-8", log.latestCheckpoint().noteBytes(), CHECKPOINT_CACHE);
  }

  /**
   * A hash tile kept in memory, answered on the I/O thread (no dispatch): its bytes never change,
   * so neither does its ETag, computed once ({@link #tileTags}). Any other tile request is declined
   * and answered by {@link #tile}.
   */
  private boolean tileFromMemory(HttpServerExchange exchange) {
    String path = exchange.getRequestPath().substring("/log/".length());
    TileId id;
    try {
      id = TileId.parse(path);
    } catch (MalformedTileException e) {
      return false;
    }
    if (!(id instanceof HashTileId hashTile)) {
      return false;
    }
    byte[] bytes = log.keptTile(hashTile);
    if (bytes == null) {
      return false;
    }
    Call.cacheableFromIoThread(
        exchange, TILE_TYPE, bytes, cacheControl(id), tileTags.of(id.path(), bytes));
    return true;
  }

  private void tile(Call call) throws IOException {
    String path = call.exchange().getRequestPath().substring("/log/".length());
    TileId id;
    try {
      id = TileId.parse(path);
    } catch (MalformedTileException e) {
      throw new SluiceException.NotFound("tile", path);
    }
    byte[] bytes = log.tile(id);
    String etag = id instanceof HashTileId ? tileTags.of(id.path(), bytes) : Call.etagOf(bytes);
    call.cacheable(TILE_TYPE, bytes, cacheControl(id), etag);
  }

  private static String cacheControl(TileId id) {
    return id.isPartial() ? PARTIAL_TILE_CACHE : FULL_TILE_CACHE;
  }

  private void inclusion(Call call) throws IOException {
    long index = requireSize(call, "index");
    long treeSize = requireSize(call, "tree_size");
    List<Hash> proof = log.inclusionProof(index, treeSize);
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    body.put("index", index);
    body.put("tree_size", treeSize);
    hashes(body, proof);
    call.json(200, body);
  }

  private void consistency(Call call) throws IOException {
    long oldSize = requireSize(call, "old_size");
    long treeSize = requireSize(call, "tree_size");
    List<Hash> proof = log.consistencyProof(oldSize, treeSize);
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    body.put("old_size", oldSize);
    body.put("tree_size", treeSize);
    hashes(body, proof);
    call.json(200, body);
  }

  private void lookup(Call call) throws IOException {
    String hex =
        call.query("leaf_hash")
            .orElseThrow(
                () -> new SluiceException.InvalidInput("query parameter leaf_hash is required"));
    if (!HEX_HASH.matcher(hex).matches()) {
      throw new SluiceException.InvalidInput(
          "leaf_hash must be the 64 hex digits of an RFC 9162 leaf hash");
    }
    long index =
        log.indexOf(Hash.fromHex(hex))
            .orElseThrow(() -> new SluiceException.NotFound("log entry", hex));
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    body.put("index", index);
    call.json(200, body);
  }

  private void key(Call call) throws IOException {
    call.bytes(
        200,
        "text/plain; charset=utf-8",
        (log.verifier().vkey() + "\n").getBytes(StandardCharsets.UTF_8),
        CHECKPOINT_CACHE);
  }

  private static void hashes(ObjectNode body, List<Hash> proof) {
    ArrayNode hashes = body.putArray("hashes");
    proof.forEach(h -> hashes.add(h.base64()));
  }

  private static long requireSize(Call call, String name) {
    String value =
        call.query(name)
            .orElseThrow(
                () -> new SluiceException.InvalidInput("query parameter " + name + " is required"));
    if (!DECIMAL.matcher(value).matches()) {
      throw new SluiceException.InvalidInput(
          "query parameter " + name + " must be a non-negative decimal integer");
    }
    return Long.parseLong(value);
  }
}
