package dev.sluice.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.audit.AuditFilters;
import dev.sluice.core.release.ReleaseFilters;
import dev.sluice.core.rollout.RolloutFilters;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListFilterTest {

  @Test
  void aReleaseFilterParsesIntoConditionsOverItsWhitelistedFields() {
    ListFilter filter =
        ReleaseFilters.parse(
            "product==acme-*;state=in=(PUBLISHED,revoked),created=gt=2026-12-01T10:00:00.123456Z");

    assertThat(filter)
        .isEqualTo(
            new ListFilter.Or(
                List.of(
                    new ListFilter.And(
                        List.of(
                            new ListFilter.Condition(
                                ReleaseFilters.PRODUCT, FilterOperator.EQ, List.of("acme-*")),
                            new ListFilter.Condition(
                                ReleaseFilters.STATE,
                                FilterOperator.IN,
                                List.of("published", "revoked")))),
                    new ListFilter.Condition(
                        ReleaseFilters.CREATED,
                        FilterOperator.GT,
                        List.of("2026-12-01T10:00:00.123Z")))));
  }

  @Test
  void theAuditFilterTakesTypeAsAnotherNameForAction() {
    assertThat(AuditFilters.parse("type==release.created"))
        .isEqualTo(AuditFilters.parse("action==release.created"));
    assertThat(RolloutFilters.parse("   ")).isEqualTo(new ListFilter.All());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "owner==me|1|unknown field 'owner' (fields: product, state, version, created)",
        "state=lt=draft|6|the operator =lt= does not apply to state",
        "created=in=(2026-01-01T00:00:00Z)|8|the operator =in= does not apply to created",
        "state==shipped|8|state is one of draft, checked",
        "created==yesterday|10|ISO-8601",
        "version=='1.0' OR 1=1|20|expected an operator",
        "state==draft; DROP TABLE releases|20|expected an operator",
      })
  void aBadReleaseFilterNamesThePositionAndTheFieldOrOperator(
      String text, int position, String message) {
    assertThatThrownBy(() -> ReleaseFilters.parse(text))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("position " + position + ":")
        .hasMessageContaining(message);
  }

  @Test
  void sortIsTheFieldOrItsNegation() {
    assertThat(SortOrder.parse(Optional.empty(), "at", SortOrder.ASCENDING))
        .isEqualTo(SortOrder.ASCENDING);
    assertThat(SortOrder.parse(Optional.of("-at"), "at", SortOrder.ASCENDING))
        .isEqualTo(SortOrder.DESCENDING);
    assertThat(SortOrder.parse(Optional.of("+created"), "created", SortOrder.DESCENDING))
        .isEqualTo(SortOrder.ASCENDING);
    assertThat(SortOrder.parse(Optional.of("created"), "created", SortOrder.DESCENDING))
        .isEqualTo(SortOrder.ASCENDING);
    assertThatThrownBy(
            () -> SortOrder.parse(Optional.of("-version"), "created", SortOrder.ASCENDING))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("'-version'")
        .hasMessageContaining("-created");
  }
}
