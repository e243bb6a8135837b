package dev.sluice.store.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.WireJson;
import dev.sluice.store.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Conversions between column values and domain values: instants, nullable columns, JSON text. */
final class Columns {
  private static final ObjectMapper JSON = WireJson.MAPPER;

  private Columns() {}

  /** Instants are stored as epoch milliseconds (finer precision is dropped). */
  static long millis(Instant instant) {
    return instant.toEpochMilli();
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return Instant.ofEpochMilli(rs.getLong(column));
  }

  static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  static Optional<String> optionalString(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }

  static String json(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot serialize a JSON column", e);
    }
  }

  static JsonNode json(ResultSet rs, String column) throws SQLException {
    String text = rs.getString(column);
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new StoreException("column " + column + " does not hold valid JSON", e);
    }
  }
}
