package dev.sluice.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * hawkBit's {@code actionHistory} of a deployment or confirmation answer, sent when the device asks
 * for it: the action's status in hawkBit's names and the device's own messages.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ActionHistory(String status, List<String> messages) {
  public ActionHistory {
    messages = messages == null ? List.of() : List.copyOf(messages);
  }
}
