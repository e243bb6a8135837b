package dev.sluice.cli.serve;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import org.slf4j.Logger;

/**
 * Sluice's logging, configured in code (found by Logback through {@link java.util.ServiceLoader})
 * instead of by an XML file: reading one made Logback load its XML configurator, about 500 classes,
 * on every start of every command. Lines go to standard error with date, time and zone offset (ISO
 * 8601, so that lines from several hosts sort); Sluice logs from INFO, libraries from WARN; the
 * audit lines ({@code sluice.audit}, one per committed audit event) are on and the access log
 * ({@code sluice.access}, one line per request) is off until {@code sluice serve --access-log}
 * turns it on ({@link LogSettings}).
 *
 * <p>A configuration file given with {@code -Dlogback.configurationFile=...} still wins: this
 * configurator then leaves the work to Logback's own.
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {
  /** The console appender's name; {@link LogSettings} swaps its encoder for JSON. */
  static final String CONSOLE = "console";

  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%logger{0}] %msg%n%ex";

  /** Logback's property naming a configuration file. */
  private static final String CONFIGURATION_FILE_PROPERTY = "logback.configurationFile";

  /** Instantiated by Logback's service loading. */
  public LogConfiguration() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty(CONFIGURATION_FILE_PROPERTY) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Configures {@code context} from scratch (also what tests restore after changing it). */
  static void apply(LoggerContext context) {
    // Logback's own start-up messages stay quiet.
    NopStatusListener quiet = new NopStatusListener();
    context.getStatusManager().add(quiet);

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(CONSOLE);
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();

    context.getLogger("dev.sluice").setLevel(Level.INFO);
    context.getLogger("sluice.audit").setLevel(Level.INFO);
    context.getLogger("sluice.access").setLevel(Level.OFF);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(console);
  }
}
