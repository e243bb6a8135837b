package dev.sluice.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.InvalidRequestException;
import dev.sluice.api.RequestReader;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Text;
import dev.sluice.core.Violations;
import java.util.List;

/**
 * Request bodies read into the records of {@code sluice-api} ({@link RequestReader}), with the
 * server's text rule and its problems as {@link SluiceException.InvalidInput}.
 */
public final class RequestBodies {
  /** The one text rule ({@link Text#problem}): no control characters, no bidi controls. */
  public static final RequestReader.TextRule TEXT_RULE =
      (text, multiline) -> Text.problem(text, Text.MAX_FIELD, multiline);

  private RequestBodies() {}

  /**
   * {@code body} read as a {@code type}; its field problems go into {@code violations}.
   *
   * @throws SluiceException.InvalidInput if the body is not one JSON object
   */
  public static <R extends Record> R read(byte[] body, Class<R> type, Violations violations) {
    RequestReader.Read<R> read = RequestReader.read(object(body), type, TEXT_RULE);
    violations.addWire(read.violations());
    return read.value();
  }

  /**
   * The body as a JSON object (strictly parsed), for a document read as a tree.
   *
   * @throws SluiceException.InvalidInput if the body is not one JSON object
   */
  public static JsonNode object(byte[] body) {
    try {
      return RequestReader.object(body);
    } catch (InvalidRequestException e) {
      throw new SluiceException.InvalidInput(
          e.getMessage(),
          e.violations().stream()
              .map(v -> new SluiceException.Violation(v.location(), v.message()))
              .toList(),
          e);
    }
  }

  /** {@link #read(byte[], Class, Violations)} answering any problem at once. */
  public static <R extends Record> R read(byte[] body, Class<R> type) {
    Violations violations = new Violations();
    R value = read(body, type, violations);
    violations.throwIfAny();
    return value;
  }

  /** The list, or an empty one for an absent field. */
  public static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
