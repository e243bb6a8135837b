package dev.sluice.core.release;

import dev.sluice.core.filter.ListField;
import dev.sluice.core.filter.ListFilter;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code filter} of the release list: {@code product}, {@code state}, {@code version} and
 * {@code created}, e.g. {@code product==acme-*;state=in=(published,revoked)}.
 */
public final class ReleaseFilters {
  public static final ListField PRODUCT = ListField.text("product");
  public static final ListField STATE =
      ListField.choice(
          "state", Arrays.stream(ReleaseState.values()).map(ReleaseState::wireName).toList());
  public static final ListField VERSION = ListField.text("version");
  public static final ListField CREATED = ListField.instant("created");

  /** Every field a release filter may name. */
  public static final List<ListField> FIELDS = List.of(PRODUCT, STATE, VERSION, CREATED);

  /** The field the release list sorts by. */
  public static final String SORT_FIELD = "created";

  private ReleaseFilters() {}

  /**
   * Parses a release filter; blank text selects every release.
   *
   * @throws dev.sluice.core.SluiceException.InvalidInput naming the first error
   */
  public static ListFilter parse(String text) {
    return ListFilter.parse(text, FIELDS);
  }
}
