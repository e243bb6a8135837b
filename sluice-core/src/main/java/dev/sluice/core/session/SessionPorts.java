package dev.sluice.core.session;

/** What console sign-ins read and write inside one transaction. Implemented by the store. */
public interface SessionPorts {
  /** Console sessions. */
  ConsoleSessionRepository consoleSessions();
}
