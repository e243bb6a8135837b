package dev.sluice.core.certification;

import dev.sluice.core.release.ReleaseId;
import java.util.List;

/** Certifiers' decisions on releases; a certifier decides at most once per release. */
public interface SignOffRepository {
  /**
   * Records a certifier's decision.
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_DECIDED) if this certifier already
   *     decided on this release
   */
  void insert(SignOff signOff);

  /** The release's sign-offs in the order they were made. */
  List<SignOff> list(ReleaseId id);
}
