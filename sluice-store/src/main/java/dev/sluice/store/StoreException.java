package dev.sluice.store;

/**
 * The root of every exception the store module throws. It wraps {@link java.sql.SQLException}, JDBI
 * and Flyway failures at the boundary, so callers see one unchecked type.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
