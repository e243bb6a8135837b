package dev.sluice.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A hawkBit DDI link: {@code {"href": "..."}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiLink(String href) {}
