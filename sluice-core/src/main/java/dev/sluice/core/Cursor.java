package dev.sluice.core;

/**
 * Where a page of a list ended, and so where the next one starts. Every kind has the same opaque
 * wire form ({@link OpaqueCursor}), naming the list it belongs to.
 */
public sealed interface Cursor permits PageCursor, KeyCursor {
  /** The opaque form a client of {@code list} sees and sends back. */
  String encode(PagedList list);
}
