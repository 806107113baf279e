package dev.steadytext.platform.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Explains why the platform is not ready: bundles that did not start, and components that are not satisfied, each
 * with its reason (missing configuration, unsatisfied reference with its interface and target, failed activation).
 */
final class ComponentDiagnosis {

    /**
     * Component property ({@code @Component(property = "steadytext.configuration.optional=true")}) of a component that
     * runs once per configuration someone creates, such as one more model, so that having none is no problem.
     */
    static final String OPTIONAL_CONFIGURATION = "steadytext.configuration.optional";

    private ComponentDiagnosis() {}

    /** One line per problem; empty if every bundle is active and every component satisfied. */
    static List<String> problems(Collection<Bundle> expectedActive, Map<String, String> bundleFailures,
            ServiceComponentRuntime scr) {
        List<String> problems = new ArrayList<>();
        bundleFailures.forEach((bundle, reason) -> problems.add("bundle " + bundle + ": " + reason));
        for (Bundle bundle : expectedActive) {
            if (bundle.getState() != Bundle.ACTIVE && !bundleFailures.containsKey(bundle.getSymbolicName())) {
                problems.add("bundle " + bundle.getSymbolicName() + " is " + BundleStates.name(bundle.getState()));
            }
        }
        if (scr == null) {
            problems.add("Service Component Runtime (org.apache.felix.scr) is not running");
            return problems;
        }
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            problems.addAll(componentProblems(scr, description));
        }
        return problems;
    }

    private static List<String> componentProblems(ServiceComponentRuntime scr, ComponentDescriptionDTO description) {
        String name = "component " + description.name + " (" + description.bundle.symbolicName + ")";
        if (!scr.isComponentEnabled(description)) {
            return List.of(name + " is disabled");
        }
        Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(description);
        if (configurations.isEmpty()) {
            if ("true".equals(String.valueOf(description.properties.get(OPTIONAL_CONFIGURATION)))) {
                return List.of();
            }
            return "require".equals(description.configurationPolicy)
                    ? List.of(name + " waits for configuration " + String.join(", ", description.configurationPid))
                    : List.of(name + " has no configuration");
        }
        List<String> problems = new ArrayList<>();
        for (ComponentConfigurationDTO configuration : configurations) {
            switch (configuration.state) {
                case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION ->
                        problems.add(name + " waits for configuration " + String.join(", ", description.configurationPid));
                case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                    for (UnsatisfiedReferenceDTO reference : configuration.unsatisfiedReferences) {
                        problems.add(name + " misses reference " + reference.name + " to "
                                + interfaceOf(description, reference.name)
                                + (reference.target == null ? "" : " with target " + reference.target));
                    }
                }
                case ComponentConfigurationDTO.FAILED_ACTIVATION ->
                        problems.add(name + " failed to activate: " + configuration.failure);
                default -> { } // SATISFIED or ACTIVE
            }
        }
        return problems;
    }

    private static String interfaceOf(ComponentDescriptionDTO description, String referenceName) {
        return Arrays.stream(description.references)
                .filter(reference -> reference.name.equals(referenceName))
                .map((ReferenceDTO reference) -> reference.interfaceName)
                .findFirst()
                .orElse("?");
    }
}
