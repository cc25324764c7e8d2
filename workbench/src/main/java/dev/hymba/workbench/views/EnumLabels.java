package dev.hymba.workbench.views;

import javafx.scene.control.ComboBox;
import javafx.util.StringConverter;

import java.util.Locale;

/** Shows enum constants as words ("ATTENTION_FIRST" as "attention-first", "AS_TRAINED" as "as trained"). */
public final class EnumLabels {
    private EnumLabels() {}

    public static String label(Enum<?> e) {
        String s = e.name().toLowerCase(Locale.ROOT);
        return s.equals("as_trained") ? "as trained" : s.replace('_', '-');
    }

    public static <E extends Enum<E>> void apply(ComboBox<E> box, Class<E> type) {
        box.setConverter(new StringConverter<>() {
            @Override public String toString(E e) { return e == null ? "" : label(e); }

            @Override
            public E fromString(String s) {
                for (E e : type.getEnumConstants()) if (label(e).equals(s)) return e;
                return null;
            }
        });
    }
}
