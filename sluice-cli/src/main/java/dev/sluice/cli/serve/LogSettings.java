package dev.sluice.cli.serve;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

/**
 * How {@code sluice serve} logs: text lines with date and zone ({@link LogConfiguration}) or one
 * JSON object per line for a log collector, and whether the access log ({@code sluice.access}) is
 * on.
 */
public final class LogSettings {
  private LogSettings() {}

  /** The formats {@code --log-format} accepts. */
  enum Format {
    text,
    json
  }

  /** Turns the audit lines ({@code sluice.audit}) down to warnings (the demo tells its story). */
  public static void quietAuditLines() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger("sluice.audit").setLevel(Level.WARN);
    }
  }

  static void apply(Format format, boolean accessLog) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J provider (a test's): its own configuration stands
    }
    context.getLogger("sluice.access").setLevel(accessLog ? Level.INFO : Level.OFF);
    if (format == Format.json) {
      Appender<ILoggingEvent> appender =
          context
              .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
              .getAppender(LogConfiguration.CONSOLE);
      if (appender instanceof OutputStreamAppender<ILoggingEvent> console) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.start();
        console.stop();
        console.setEncoder(encoder);
        console.start();
      }
    }
  }
}
