package dev.weft.lease;

/**
 * An invalid net-conf.json: names the field (dotted path in flannel's spelling, e.g. {@code Backend.VNI}) and the
 * offending value as it appeared in the file (cut to a short excerpt).
 */
public class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;

  /**
   * @param field flannel's name of the field, e.g. {@code SubnetLen}
   * @param value the value as written, already quoted/excerpted for display
   * @param problem what is wrong and, where useful, what is expected
   */
  public ConfigException(String field, String value, String problem) {
    super("net-conf.json: " + field + " = " + value + ": " + problem);
    this.field = field;
    this.value = value;
  }

  /** The field in flannel's spelling, e.g. {@code Backend.Port}. */
  public String field() {
    return field;
  }

  /** The offending value as written in the file (excerpt). */
  public String value() {
    return value;
  }
}
