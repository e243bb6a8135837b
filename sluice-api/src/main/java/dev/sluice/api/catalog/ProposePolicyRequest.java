package dev.sluice.api.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code POST /api/v1/products/{name}/policy/pending}: a new threshold, a new certifier set, or
 * both; an absent one stays as it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProposePolicyRequest(Integer threshold, List<String> certifiers) {}
