package dev.sluice.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A request record's static factory that builds it from a single JSON value instead of an object (a
 * rollout stage given as its percentage, {@code 10}, instead of {@code {"percent": 10}}). The
 * factory takes one {@code Integer}, {@code String} or {@code Boolean}; {@link RequestReader} calls
 * the one matching the value sent.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WireShorthand {}
