package dev.sluice.core.rollout;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/** What must say yes before a stage starts (the first stage starts when the operator says so). */
public sealed interface Gate {

  /** The stage starts as soon as the previous one reached its success threshold. */
  record None() implements Gate {}

  /** An operator approves ({@code sluice rollout approve}). */
  record Manual() implements Gate {}

  /**
   * An external check: Sluice POSTs the rollout's numbers as JSON to {@code url}; a 2xx reply lets
   * the stage start, anything else keeps the rollout waiting (and is recorded).
   */
  record Webhook(URI url) implements Gate {
    public Webhook {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
        throw new IllegalArgumentException("a webhook gate needs an http(s) URL with a host");
      }
    }
  }

  Gate NONE = new None();
  Gate MANUAL = new Manual();

  /** {@code none}, {@code manual} or {@code webhook=URL}. */
  default String wire() {
    return switch (this) {
      case None n -> "none";
      case Manual m -> "manual";
      case Webhook w -> "webhook=" + w.url();
    };
  }

  static Gate parse(String text) {
    Objects.requireNonNull(text, "gate");
    if (text.equals("none")) {
      return NONE;
    }
    if (text.equals("manual")) {
      return MANUAL;
    }
    if (text.startsWith("webhook=")) {
      try {
        return new Webhook(URI.create(text.substring("webhook=".length())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a webhook gate needs a valid URL: " + e.getMessage());
      }
    }
    throw new IllegalArgumentException("a gate is none, manual or webhook=URL; got '" + text + "'");
  }
}
