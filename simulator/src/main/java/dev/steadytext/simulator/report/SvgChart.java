package dev.steadytext.simulator.report;

import dev.steadytext.simulator.Registry;
import dev.steadytext.simulator.Result;
import dev.steadytext.simulator.policy.Budget;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a sweep as an SVG image: one row of panels per trace, one column per metric, the cache size along each x axis
 * (evenly spaced, the sizes roughly doubling), the rate up the y axis (each panel's own range), one line per policy.
 * Hand-written SVG: a few hundred elements need no library.
 */
public final class SvgChart {

    private static final int PANEL_WIDTH = 280;
    private static final int PANEL_HEIGHT = 170;
    private static final int LEFT = 120;
    private static final int TOP = 110;
    private static final int GAP_X = 40;
    private static final int GAP_Y = 50;

    /** Fixed colours, so that a policy looks the same in every chart; the bounds are black and grey, dashed. */
    private static final Map<String, String> COLOURS = Map.of(
            "steadytext.lru", "#1f77b4", "steadytext.lfu", "#ff7f0e", "steadytext.frecency", "#2ca02c",
            "steadytext.arc", "#d62728", "steadytext.gdsf", "#9467bd", "plugin.sieve", "#8c564b",
            Registry.CAFFEINE, "#e377c2", Registry.BELADY, "#000000", Registry.UNBOUNDED, "#7f7f7f");

    private SvgChart() {
    }

    public static void write(Results results, Budget.Bound bound, String title, Path file) throws IOException {
        List<String> traces = results.traces();
        List<Budget> budgets = results.budgets(bound);
        List<String> policies = results.policies();
        Metric[] metrics = Metric.values();
        int width = LEFT + metrics.length * (PANEL_WIDTH + GAP_X) + 20;
        int height = TOP + traces.size() * (PANEL_HEIGHT + GAP_Y) + 20;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(text(LEFT, 22, 15, "start", escape(title)));
        legend(svg, policies);
        for (int m = 0; m < metrics.length; m++) {
            svg.append(text(LEFT + m * (PANEL_WIDTH + GAP_X) + PANEL_WIDTH / 2, TOP - 12, 12, "middle",
                    metrics[m].label()));
        }
        for (int t = 0; t < traces.size(); t++) {
            int y0 = TOP + t * (PANEL_HEIGHT + GAP_Y);
            svg.append(text(LEFT - 50, y0 + PANEL_HEIGHT / 2, 12, "end", escape(traces.get(t))));
            for (int m = 0; m < metrics.length; m++) {
                panel(svg, results, traces.get(t), budgets, policies, metrics[m],
                        LEFT + m * (PANEL_WIDTH + GAP_X), y0);
            }
        }
        svg.append("</svg>\n");
        Files.writeString(file, svg, StandardCharsets.UTF_8);
    }

    private static void legend(StringBuilder svg, List<String> policies) {
        int x = LEFT;
        int y = 48;
        for (String policy : policies) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"2.5\"%s/>%n", x, y - 4, x + 22, y - 4, colour(policy), dash(policy)));
            svg.append(text(x + 27, y, 11, "start", escape(policy)));
            x += 150;
            if (x > LEFT + 5 * 150) {
                x = LEFT;
                y += 20;
            }
        }
    }

    private static void panel(StringBuilder svg, Results results, String trace, List<Budget> budgets,
            List<String> policies, Metric metric, int x0, int y0) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>%n", x0, y0, PANEL_WIDTH, PANEL_HEIGHT));
        double[] range = range(results, trace, budgets, policies, metric);
        int step = range[1] - range[0] > 0.5 ? 20 : range[1] - range[0] > 0.2 ? 10 : 5;
        for (int percent = (int) Math.round(range[0] * 100); percent <= Math.round(range[1] * 100); percent += step) {
            double y = yOf(percent / 100.0, range, y0);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>%n",
                    x0, y, x0 + PANEL_WIDTH, y));
            svg.append(text(x0 - 4, (int) y + 4, 10, "end", percent + "%"));
        }
        for (int i = 0; i < budgets.size(); i++) {
            svg.append(text((int) xOf(i, budgets.size(), x0), y0 + PANEL_HEIGHT + 14, 10, "middle",
                    shortCapacity(budgets.get(i))));
        }
        for (String policy : policies) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < budgets.size(); i++) {
                Result result = results.get(trace, budgets.get(i), policy);
                if (result != null) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xOf(i, budgets.size(), x0),
                            yOf(metric.of(result.stats()), range, y0)));
                }
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"1.8\"%s/>%n", points.toString().strip(), colour(policy), dash(policy)));
        }
    }

    /**
     * The panel's y range: from the lowest rate plotted to the highest, widened to whole tens of percent, so that
     * close lines stay apart (the axis labels say where each panel starts).
     */
    private static double[] range(Results results, String trace, List<Budget> budgets, List<String> policies,
            Metric metric) {
        double low = 1;
        double high = 0;
        for (String policy : policies) {
            for (Budget budget : budgets) {
                Result result = results.get(trace, budget, policy);
                if (result != null) {
                    low = Math.min(low, metric.of(result.stats()));
                    high = Math.max(high, metric.of(result.stats()));
                }
            }
        }
        low = Math.floor(low * 10) / 10;
        high = Math.max(low + 0.1, Math.ceil(high * 10) / 10);
        return new double[] {low, high};
    }

    private static double xOf(int index, int count, int x0) {
        return x0 + 15 + (PANEL_WIDTH - 30) * (count == 1 ? 0.5 : (double) index / (count - 1));
    }

    private static double yOf(double rate, double[] range, int y0) {
        return y0 + PANEL_HEIGHT - (rate - range[0]) / (range[1] - range[0]) * PANEL_HEIGHT;
    }

    private static String shortCapacity(Budget budget) {
        long c = budget.capacity();
        if (budget.bound() == Budget.Bound.BYTES) {
            return c >= 1_000_000 ? String.format(Locale.ROOT, "%.1f MB", c / 1e6) : c / 1_000 + " KB";
        }
        return c >= 1_000 ? BigDecimal.valueOf(c, 3).stripTrailingZeros().toPlainString() + "k" : Long.toString(c);
    }

    private static String colour(String policy) {
        return COLOURS.getOrDefault(policy, "#17becf");
    }

    private static String dash(String policy) {
        return policy.startsWith("opt.") ? " stroke-dasharray=\"5,3\"" : "";
    }

    private static String text(int x, int y, int size, String anchor, String content) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"%s\">%s</text>%n",
                x, y, size, anchor, content);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
