package com.helpdeskconnect.host.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Services speak in domain exceptions ({@code host.errors}); only the {@code http} package knows
 * status codes, so integrations, sync and storage never depend on it.
 */
class LayeringTest {
    private static final JavaClasses HOST = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.helpdeskconnect.host");

    @Test
    void servicesDoNotDependOnTheHttpLayer() {
        noClasses().that().resideInAnyPackage("..host.integrations..", "..host.sync..", "..host.storage..", "..host.errors..")
                .should().dependOnClassesThat().resideInAPackage("..host.http..")
                .because("services throw domain exceptions; http.DomainErrors maps them to answers")
                .check(HOST);
    }

    @Test
    void storageDependsOnNothingAboveIt() {
        noClasses().that().resideInAPackage("..host.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("..host.sync..", "..host.http..", "..host.integrations..",
                        "..host.admin..", "..host.demo..", "..host.cli..")
                .because("storage is the bottom layer: the workers and the API use it, never the other way round")
                .check(HOST);
    }
}
