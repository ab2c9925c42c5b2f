package dev.weft.doctor;

import java.util.List;

/** A group of {@code weft doctor} checks. Must not throw: a check that cannot run reports that as a finding. */
@FunctionalInterface
public interface DoctorCheck {
    List<Finding> run(DoctorRequest request);
}
