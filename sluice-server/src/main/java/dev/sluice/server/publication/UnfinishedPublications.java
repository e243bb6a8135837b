package dev.sluice.server.publication;

import dev.sluice.core.publication.PublicationService;
import dev.sluice.server.jobs.PeriodicJob;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic job that finishes publications and revocations another instance started and did not
 * finish (it died between logging the release record and updating TUF), so that the log never holds
 * a release record for long that TUF does not serve, whichever instances are alive. Every instance
 * runs it; finishing is idempotent and serialised on the release's row.
 */
public final class UnfinishedPublications {
  private static final Logger LOG = LoggerFactory.getLogger(UnfinishedPublications.class);

  /** How often each instance looks. */
  public static final Duration INTERVAL = Duration.ofSeconds(10);

  /**
   * How old an unfinished publication must be before another instance finishes it: a caller still
   * waiting for the log to integrate its record (up to the integration timeout) finishes its own.
   */
  public static final Duration AGE = PublicationService.DEFAULT_INTEGRATION_TIMEOUT.plusSeconds(5);

  private final PublicationService<?> publications;
  private final Clock clock;

  public UnfinishedPublications(PublicationService<?> publications, Clock clock) {
    this.publications = Objects.requireNonNull(publications, "publications");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The periodic job, looking every {@code interval}. */
  public PeriodicJob job(Duration interval) {
    return PeriodicJob.every(interval, "unfinished-publications", this::runOnce);
  }

  /** Finishes what is old enough now; returns how many. Failures are logged and retried later. */
  public int runOnce() {
    try {
      int finished = publications.resumeUnfinished(clock.instant().minus(AGE));
      if (finished > 0) {
        LOG.info("finished {} publication(s) that another instance left unfinished", finished);
      }
      return finished;
    } catch (RuntimeException e) {
      LOG.warn("finishing interrupted publications failed; trying again", e);
      return 0;
    }
  }
}
