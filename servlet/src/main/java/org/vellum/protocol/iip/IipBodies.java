package org.vellum.protocol.iip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.vellum.image.Dimension;
import org.vellum.image.ImageInfo;
import org.vellum.image.OutputFormat;
import org.vellum.image.Pixels;
import org.vellum.pipeline.Representation;
import org.vellum.protocol.Iipsrv;

/** The bodies of iipsrv 1.1's IIP answers, byte for byte where viewers read them: CRLF text, netfpx, XML, JSON. */
final class IipBodies {
    static final String CRLF = "\r\n";
    static final String NETFPX = "application/vnd.netfpx";
    static final String OPT_COMM = "IIP-opt-comm:CVT CNT QLT JTL JTLS WID HEI RGN MINMAX SHD CMP INV CTW";
    static final String OPT_OBJ = "IIP-opt-obj:Horizontal-views Vertical-views Tile-size Bits-per-channel "
            + "Min-Max-sample-values Resolutions";
    private static final String BANNER = "<html><head><title>IIPImage Server</title></head><body>"
            + "<h2>IIPImage Server</h2>This is a Vellum server speaking the IIP protocol.</body></html>";

    private IipBodies() {
    }

    /** The HTML page an empty or senseless request gets (400, as 1.1 answers it). */
    static Representation banner() {
        return Representation.text(400, "text/html", BANNER)
                .with("Content-Disposition", "inline;filename=\"iipsrv.html\"");
    }

    /**
     * OBJ: the protocol line (or 1.1's empty first line), then one CRLF-ended line per object. An XML object (xmp)
     * starts with its packet, so that it parses as XML.
     */
    static Representation objects(boolean protocolLine, List<String> lines, String contentType) {
        StringBuilder body = new StringBuilder(protocolLine ? "IIP:1.0" + CRLF : NETFPX.equals(contentType) ? CRLF : "");
        for (String l : lines) body.append(l).append(CRLF);
        return Representation.ok(contentType, body.toString().getBytes(StandardCharsets.UTF_8))
                .with(Iipsrv.POWERED_BY, "IIPImage");
    }

    /** iipsrv's error lines, one per error in order, each cut to 31 characters before its CRLF (1.1's buffer). */
    static Representation errors(List<IipException> errors) {
        StringBuilder body = new StringBuilder();
        for (IipException e : errors) {
            String payload = e.code + " " + e.argument;
            String line = "Error/" + payload.length() + ":" + payload;
            body.append(line.length() > 31 ? line.substring(0, 31) : line).append(CRLF);
        }
        return Representation.text(400, NETFPX, body.toString()).withNoCache()
                .with("Content-Disposition", "inline;filename=\"IIPisAMadGameClosedToOurUnderstanding.netfpx\"");
    }

    /** CVT: the image, with Content-Disposition naming the file it came from. */
    static Representation export(String identifier, byte[] data, OutputFormat format) {
        String name = identifier.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot > 0) name = name.substring(0, dot);
        return Iipsrv.image(data, format).with("Content-Disposition",
                "inline;filename=\"" + name.replace("\"", "") + "." + format.extension() + "\"");
    }

    /** TIL: the tiles one after another in netfpx framing. */
    static Representation tiles(int r, int start, List<byte[]> jpegs) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < jpegs.size(); i++) {
            byte[] jpeg = jpegs.get(i);
            body.writeBytes(("Tile," + r + "," + (start + i) + ",0/" + (jpeg.length + 8) + ":")
                    .getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(new byte[] {2, 0, 0, 0, 0, 0x11, 0, 0});
            body.writeBytes(jpeg);
            body.writeBytes(CRLF.getBytes(StandardCharsets.US_ASCII));
        }
        return Representation.ok(NETFPX, body.toByteArray()).with(Iipsrv.POWERED_BY, "IIPImage");
    }

    /** SPECTRA: the value of each band of one pixel, as reflectance 0..1. */
    static Representation spectra(Pixels tile, int x, int y) {
        int v = tile.argb()[y * tile.width() + x];
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<spectra>\n");
        int bands = tile.isGray() ? 1 : 3;
        for (int i = 0; i < bands; i++) {
            int s = v >> (16 - 8 * i) & 0xFF;
            b.append("\t<point>\n\t\t<wavelength>").append(i).append("</wavelength>\n\t\t<reflectance>")
                    .append(String.format(Locale.ROOT, "%g", s / 255.0).replaceAll("0+$", "").replaceAll("\\.$", ""))
                    .append("</reflectance>\n\t</point>\n");
        }
        return Iipsrv.text("application/xml", b.append("</spectra>").toString());
    }

    /** PFL: the samples along the line, band after band per pixel, as JSON. */
    static Representation profile(Pixels line) {
        StringBuilder json = new StringBuilder("{\n\t\"profile\": [");
        int bands = line.isGray() ? 1 : 3;
        for (int i = 0; i < line.argb().length; i++) {
            for (int c = 0; c < bands; c++) {
                if (i > 0 || c > 0) json.append(',');
                json.append(line.argb()[i] >> (16 - 8 * c) & 0xFF);
            }
        }
        return Iipsrv.text("application/json", json.append("]\n}").toString());
    }

    static String maxSizeLine(ImageInfo info, IipView view) {
        boolean quarter = Math.floorMod((int) Math.round(view.rotation()), 180) == 90;
        return "Max-size:" + (quarter ? info.height() + " " + info.width() : info.width() + " " + info.height());
    }

    /**
     * iipsrv 1.2+'s DPI line for a JPEG 2000 file: its capture resolution in pixels per centimetre, printed with C's
     * %f (dpi_units 2 for JP2 in iipsrv, though the line does not say so); null when the file records none.
     */
    static String dpiLine(ImageInfo info) {
        if (info.resolution() == null) return null;
        return String.format(Locale.ROOT, "DPI:%f %f", info.resolution().horizontalPerCm(),
                info.resolution().verticalPerCm());
    }

    static String resolutionsLine(ImageInfo info) {
        StringBuilder b = new StringBuilder("Resolutions:");
        List<Dimension> levels = info.levelsSmallestFirst();
        for (int i = 0; i < levels.size(); i++) {
            if (i > 0) b.append(',');
            b.append(levels.get(i).width()).append(' ').append(levels.get(i).height());
        }
        return b.toString();
    }

    static String minMaxLine(ImageInfo info) {
        StringBuilder b = new StringBuilder();
        long max = (1L << info.bitsPerChannel()) - 1;
        for (int c = 0; c < info.components(); c++) b.append(" 0 ").append(' ').append(max).append(' ');
        return "Min-Max-sample-values:" + b.substring(0, b.length() - 1);
    }

    static String colorspaceLine(ImageInfo info) {
        String cs = info.colourBands() == 3 ? "0 0 3 3 0 1 2" : "0 0 1 1 0";
        return "Colorspace,0-" + (info.resolutionNumber() - 1) + ",0:" + cs;
    }
}
