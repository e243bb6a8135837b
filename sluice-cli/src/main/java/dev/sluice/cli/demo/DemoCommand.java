package dev.sluice.cli.demo;

import dev.sluice.cli.CommandFailedException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code sluice demo}: the guided end-to-end story. A placeholder for now; it will drive {@link
 * dev.sluice.cli.client.SluiceClient} through the same code paths as the other commands.
 */
@Command(name = "demo", description = "Run the end-to-end demo (not available yet).")
public final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CommandFailedException("the demo is not available in this build yet");
  }
}
