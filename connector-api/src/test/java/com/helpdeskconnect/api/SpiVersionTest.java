package com.helpdeskconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpiVersionTest {
    @Test
    void currentVersionIsSemantic() {
        assertThat(SpiVersion.current()).matches("\\d+\\.\\d+\\.\\d+");
    }
}
