package org.vellum.source;

import java.util.Comparator;

/**
 * File names in the order people number pages: runs of digits compare by value ({@code p2} before {@code p10},
 * {@code p007} beside {@code p7}), the rest case-insensitively; names equal that way fall back to fewer leading
 * zeros first, then to their exact characters, so the order is total and stable.
 */
public final class NaturalOrder implements Comparator<String> {
    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        int zeros = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (isDigit(ca) && isDigit(cb)) {
                int si = i;
                int sj = j;
                while (si < a.length() && a.charAt(si) == '0') si++;
                while (sj < b.length() && b.charAt(sj) == '0') sj++;
                int ei = si;
                int ej = sj;
                while (ei < a.length() && isDigit(a.charAt(ei))) ei++;
                while (ej < b.length() && isDigit(b.charAt(ej))) ej++;
                int byLength = Integer.compare(ei - si, ej - sj);      // more significant digits: larger
                if (byLength != 0) return byLength;
                for (int k = 0; k < ei - si; k++) {
                    int d = Character.compare(a.charAt(si + k), b.charAt(sj + k));
                    if (d != 0) return d;
                }
                if (zeros == 0) zeros = Integer.compare(si - i, sj - j);
                i = ei;
                j = ej;
            } else {
                int d = Character.compare(Character.toLowerCase(Character.toUpperCase(ca)),
                        Character.toLowerCase(Character.toUpperCase(cb)));
                if (d != 0) return d;
                i++;
                j++;
            }
        }
        int rest = Integer.compare(a.length() - i, b.length() - j);
        if (rest != 0) return rest;
        return zeros != 0 ? zeros : a.compareTo(b);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
