package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.api.Required;

/** {@code PUT /api/v1/releases/{id}/status-note}: a note and, optionally, a date (YYYY-MM-DD). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusNoteRequest(@Required String text, String targetDate) {}
