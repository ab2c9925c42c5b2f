package dev.weft.e2e;

/** The image under test for the image scenarios. */
final class TestImage {
    private TestImage() {
    }

    static String ensureBuilt() {
        String image = System.getProperty("weft.e2e.image");
        if (image == null) {
            throw new IllegalStateException("set -Dweft.e2e.image (until the image build lands)");
        }
        return image;
    }
}
