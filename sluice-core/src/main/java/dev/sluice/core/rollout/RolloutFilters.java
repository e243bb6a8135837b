package dev.sluice.core.rollout;

import dev.sluice.core.filter.ListField;
import dev.sluice.core.filter.ListFilter;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code filter} of the rollout list: {@code product}, {@code release} (its id), {@code state}
 * and {@code created}, e.g. {@code state=out=(finished,canceled);created=ge=2026-12-01T00:00:00Z}.
 */
public final class RolloutFilters {
  public static final ListField PRODUCT = ListField.text("product");
  public static final ListField RELEASE = ListField.text("release");
  public static final ListField STATE =
      ListField.choice(
          "state", Arrays.stream(RolloutState.values()).map(RolloutState::wireName).toList());
  public static final ListField CREATED = ListField.instant("created");

  /** Every field a rollout filter may name. */
  public static final List<ListField> FIELDS = List.of(PRODUCT, RELEASE, STATE, CREATED);

  /** The field the rollout list sorts by. */
  public static final String SORT_FIELD = "created";

  private RolloutFilters() {}

  /**
   * Parses a rollout filter; blank text selects every rollout.
   *
   * @throws dev.sluice.core.SluiceException.InvalidInput naming the first error
   */
  public static ListFilter parse(String text) {
    return ListFilter.parse(text, FIELDS);
  }
}
