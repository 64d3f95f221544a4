package dev.vgate.buffer.policy;

import java.util.regex.Pattern;

/**
 * One rule of a policy file: a glob ({@code *}, {@code ?}) over the signal name, or over
 * {@code Message.Signal} when the glob contains a dot; optionally restricted to one bus.
 */
public record PolicyRule(String name, String glob, String bus, SignalPolicy policy, Pattern compiled) {

    public static PolicyRule of(String name, String glob, String bus, SignalPolicy policy) {
        return new PolicyRule(name, glob, bus, policy, globToRegex(glob));
    }

    public boolean matches(String busName, String message, String signal) {
        if (bus != null && !bus.equals(busName)) return false;
        String subject = glob.indexOf('.') >= 0 ? message + "." + signal : signal;
        return compiled.matcher(subject).matches();
    }

    static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }
}
