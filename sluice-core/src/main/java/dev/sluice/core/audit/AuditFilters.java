package dev.sluice.core.audit;

import dev.sluice.core.filter.ListField;
import dev.sluice.core.filter.ListFilter;
import java.util.List;

/**
 * The {@code filter} of the audit trail: {@code actor}, {@code action} (or {@code type}), {@code
 * subject} and {@code at}, e.g. {@code action==release.*;at=ge=2026-12-01T00:00:00Z}.
 */
public final class AuditFilters {
  public static final ListField ACTOR = ListField.text("actor");
  public static final ListField ACTION = ListField.text("action", "type");
  public static final ListField SUBJECT = ListField.text("subject");
  public static final ListField AT = ListField.instant("at");

  /** Every field an audit filter may name. */
  public static final List<ListField> FIELDS = List.of(ACTOR, ACTION, SUBJECT, AT);

  /** The field the trail sorts by (its append order, which is time order). */
  public static final String SORT_FIELD = "at";

  private AuditFilters() {}

  /**
   * Parses an audit filter; blank text selects every event.
   *
   * @throws dev.sluice.core.SluiceException.InvalidInput naming the first error
   */
  public static ListFilter parse(String text) {
    return ListFilter.parse(text, FIELDS);
  }
}
