/* Bulk calls into PDFium for the PDF reader (xxgk.readers.pdf).
 *
 * The reader calls PDFium through ctypes, about 0.1-0.25 microseconds a call; a page
 * takes a few thousand such calls, one per character and value and one per page object.
 * The loops here make the same calls from C, one ctypes call per page: nothing else.
 * Every decision stays in Python; these functions only fetch, in order, what the
 * per-call code fetches, and stop where it would stop.  PDFium's functions come as
 * addresses (pypdfium2's own, through ctypes), so nothing here links against PDFium.
 *
 * Built by setup.py as an optional extension module: where no C compiler is there, the
 * reader makes the calls one by one and reads the same.  The module is loaded with
 * ctypes (it has no Python functions); PyInit__bulk only makes it importable.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stddef.h>

typedef void *handle;

/* What the reader checks before it uses the functions below (a stale build of an older
 * version of this file is not used). */
int xxgk_bulk_version(void) { return 4; }
typedef handle (*get_object_fn)(handle page, int index);
typedef handle (*get_form_object_fn)(handle form, unsigned long index);
typedef int (*object_type_fn)(handle object);
typedef int (*loose_box_fn)(handle text_page, int index, float *rect);
typedef int (*char_box_fn)(handle text_page, int index, double *left, double *right,
                           double *bottom, double *top);
typedef float (*char_angle_fn)(handle text_page, int index);

/* The objects 0..count-1 of a page (in_form 0) or of a form object (in_form 1) whose
 * type is one of the three wanted (path, form, image): their handles, types and
 * indexes written in order.  Returns how many were written (at most count). */
int xxgk_objects(get_object_fn get_object, get_form_object_fn get_form_object,
                 object_type_fn object_type, handle parent, int in_form, int count,
                 int want0, int want1, int want2, handle *objects, int *kinds,
                 int *indexes)
{
    int found = 0;
    for (int i = 0; i < count; i++) {
        handle object = in_form ? get_form_object(parent, (unsigned long)i)
                                : get_object(parent, i);
        int kind = object_type(object);
        if (kind == want0 || kind == want1 || kind == want2) {
            objects[found] = object;
            kinds[found] = kind;
            indexes[found] = i;
            found++;
        }
    }
    return found;
}

/* For each of the m characters index[k]: its loose box (4 floats: left, top, right,
 * bottom), its tight box (4 doubles: left, right, bottom, top) and its angle.  Stops at
 * the first character PDFium gives no box for and returns its place k; m when every
 * box came. */
int xxgk_char_boxes(loose_box_fn loose_box, char_box_fn char_box, char_angle_fn char_angle,
                    handle text_page, const int *index, int m, float *loose,
                    double *tight, float *angles)
{
    for (int k = 0; k < m; k++) {
        int i = index[k];
        double *t = tight + 4 * k;
        if (!loose_box(text_page, i, loose + 4 * k))
            return k;
        if (!char_box(text_page, i, t, t + 1, t + 2, t + 3))
            return k;
    }
    for (int k = 0; k < m; k++)
        angles[k] = char_angle(text_page, index[k]);
    return m;
}

/* The loose boxes of m characters (4 floats each: left, top, right, bottom) turned into
 * the upright page frame (x from the frame's left x0, y down from its top y1): left,
 * top, right, bottom in that frame, 4 doubles each.  odd[k] is 1 where the loose box is
 * over three times the tight one (4 doubles: left, right, bottom, top) and 2 points
 * wider and higher: PDFium's loose box of vertical writing, which the reader replaces.
 * The arithmetic is the reader's own, in doubles, in the same order (no contraction
 * into fused multiply-adds: setup.py builds with -ffp-contract=off). */
void xxgk_upright(const float *loose, const double *tight, int m, double x0, double y1,
                  double *boxes, unsigned char *odd)
{
    for (int k = 0; k < m; k++) {
        double left = loose[4 * k], top = loose[4 * k + 1];
        double right = loose[4 * k + 2], bottom = loose[4 * k + 3];
        const double *t = tight + 4 * k;
        double lw = right - left, lh = top - bottom;
        odd[k] = lw > 3.0 * (t[1] - t[0]) + 2.0 && lh > 3.0 * (t[3] - t[2]) + 2.0;
        double ax = left - x0, bx = right - x0, ay = y1 - bottom, by = y1 - top;
        double *out = boxes + 4 * k;
        out[0] = bx < ax ? bx : ax;
        out[1] = by < ay ? by : ay;
        out[2] = bx > ax ? bx : ax;
        out[3] = by > ay ? by : ay;
    }
}

typedef int (*get_matrix_fn)(handle object, float *matrix);
typedef int (*get_draw_mode_fn)(handle path, int *fill_mode, int *stroke);
typedef int (*count_segments_fn)(handle path);
typedef handle (*get_segment_fn)(handle path, int index);
typedef int (*get_fill_color_fn)(handle object, unsigned *r, unsigned *g, unsigned *b,
                                 unsigned *a);

/* PDFium's array of a path's segments, as FPDFPath_GetPathSegment points into it. */
typedef struct {
    float x, y;
    unsigned char type;
    unsigned char close;
} segment;

enum { LINETO = 0, MOVETO = 2 }; /* FPDF_SEGMENT_LINETO, FPDF_SEGMENT_MOVETO */

/* The reader's _surely_thick, for a path standing in the page itself (its own matrix m
 * is the one it is drawn with): whether the path, one straight run (a move, then
 * lines), is turned by an axis-parallel m more than 2 points wide and high, measured
 * in its own space with a margin for rounding.  0 where it cannot tell so cheaply, or
 * where a value is not a finite number (the reader then measures the path itself). */
static int surely_thick(const segment *s, int n, const float *mf)
{
    double m[6];
    for (int k = 0; k < 6; k++) {
        m[k] = mf[k];
        if (!(m[k] - m[k] == 0.0)) /* not finite */
            return 0;
    }
    double a = m[0], b = m[1], c = m[2], d = m[3], sx, sy;
    if (b == 0 && c == 0) {
        sx = fabs(a);
        sy = fabs(d);
    } else if (a == 0 && d == 0) {
        sx = fabs(b);
        sy = fabs(c);
    } else {
        return 0;
    }
    if (n < 2 || s[0].type != MOVETO)
        return 0;
    for (int k = 1; k < n; k++) {
        if (s[k].type != LINETO)
            return 0;
    }
    for (int k = 0; k < n - 1; k++) {
        if (s[k].close)
            return 0;
    }
    double lo_x = s[0].x, hi_x = s[0].x, lo_y = s[0].y, hi_y = s[0].y;
    for (int k = 0; k < n; k++) {
        double x = s[k].x, y = s[k].y;
        if (!(x - x == 0.0) || !(y - y == 0.0))
            return 0;
        if (x < lo_x) lo_x = x;
        if (x > hi_x) hi_x = x;
        if (y < lo_y) lo_y = y;
        if (y > hi_y) hi_y = y;
    }
    double size = fabs(lo_x) + fabs(hi_x) + fabs(lo_y) + fabs(hi_y);
    double margin = 1e-6 * (1.0 + (fabs(a) + fabs(b) + fabs(c) + fabs(d)) * size + fabs(m[4]) +
                            fabs(m[5]));
    double w = sx * (hi_x - lo_x), h = sy * (hi_y - lo_y);
    return (w < h ? w : h) > 2.0 + margin;
}

/* For each of n page objects (paths, forms, images, as xxgk_objects listed them):
 * flags[k] has bit 1 when its matrix came (6 floats from matrices[6k]), bit 2 when its
 * draw mode came (fill mode and stroke from modes[2k]), bit 4 when its fill colour came
 * (4 values from colors[4k]) and bit 8 when it is surely thick (see surely_thick; only
 * asked where layout_ok: PDFium's segment array as the reader checked it); counts[k]
 * is its segment count (-1 for what is not a path), ends[2k] and ends[2k+1] its first
 * and last segment (NULL when none). */
void xxgk_paths(get_matrix_fn get_matrix, get_draw_mode_fn get_draw_mode,
                count_segments_fn count_segments, get_segment_fn get_segment,
                get_fill_color_fn get_fill_color, const handle *objects, int n,
                int layout_ok, int *flags, float *matrices, int *modes, int *counts,
                handle *ends, unsigned *colors)
{
    for (int k = 0; k < n; k++) {
        handle object = objects[k];
        int got = 0;
        if (get_matrix(object, matrices + 6 * k))
            got |= 1;
        if (get_draw_mode(object, modes + 2 * k, modes + 2 * k + 1))
            got |= 2;
        int count = count_segments(object);
        counts[k] = count;
        handle first = count > 0 ? get_segment(object, 0) : NULL;
        handle last = count > 0 ? get_segment(object, count - 1) : NULL;
        ends[2 * k] = first;
        ends[2 * k + 1] = last;
        unsigned *color = colors + 4 * k;
        if (get_fill_color(object, color, color + 1, color + 2, color + 3))
            got |= 4;
        if (layout_ok && (got & 1) && count > 1 && first && last &&
            (char *)last - (char *)first == (ptrdiff_t)sizeof(segment) * (count - 1) &&
            surely_thick((const segment *)first, count, matrices + 6 * k))
            got |= 8;
        flags[k] = got;
    }
}

typedef handle (*text_object_fn)(handle text_page, int index);
typedef handle (*clip_path_fn)(handle object);
typedef int (*clip_count_fn)(handle clip);
typedef int (*clip_segments_fn)(handle clip, int path);
typedef handle (*clip_segment_fn)(handle clip, int path, int segment);
typedef int (*segment_point_fn)(handle segment, float *x, float *y);

/* The box of an object's clip path (the intersection of its paths' boxes) in box[4]:
 * left, bottom, right, top.  0 where the object has no clip path with points. */
static int clip_box(clip_path_fn clip_path, clip_count_fn count_paths,
                    clip_segments_fn count_segments, clip_segment_fn get_segment,
                    segment_point_fn get_point, handle object, double *box)
{
    handle clip = clip_path(object);
    if (!clip)
        return 0;
    int paths = count_paths(clip), have = 0;
    for (int p = 0; p < paths; p++) {
        int n = count_segments(clip, p);
        double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        int points = 0;
        for (int s = 0; s < n; s++) {
            handle segment = get_segment(clip, p, s);
            float x, y;
            if (!segment || !get_point(segment, &x, &y) || !isfinite(x) || !isfinite(y))
                continue;
            if (!points++) {
                x0 = x1 = x;
                y0 = y1 = y;
                continue;
            }
            x0 = x < x0 ? x : x0;
            x1 = x > x1 ? x : x1;
            y0 = y < y0 ? y : y0;
            y1 = y > y1 ? y : y1;
        }
        if (!points)
            continue;
        if (!have++) {
            box[0] = x0, box[1] = y0, box[2] = x1, box[3] = y1;
            continue;
        }
        box[0] = x0 > box[0] ? x0 : box[0];
        box[1] = y0 > box[1] ? y0 : box[1];
        box[2] = x1 < box[2] ? x1 : box[2];
        box[3] = y1 < box[3] ? y1 : box[3];
    }
    return have;
}

/* Of the m characters index[k] with tight boxes tight[4k..4k+3] (left, right, bottom,
 * top), the places k of those cut by their text object's clip path: the box stands
 * partly inside the clip path's box and past one of its sides by more than margin
 * points.  Writes at most cap places to out; returns how many there are. */
int xxgk_clipped(text_object_fn text_object, clip_path_fn clip_path,
                 clip_count_fn count_paths, clip_segments_fn count_segments,
                 clip_segment_fn get_segment, segment_point_fn get_point, handle text_page,
                 const int *index, int m, const double *tight, double margin, int *out,
                 int cap)
{
    handle last = NULL;
    int have = 0, found = 0;
    double c[4] = {0, 0, 0, 0};
    for (int k = 0; k < m; k++) {
        handle object = text_object(text_page, index[k]);
        if (!object)
            continue;
        if (object != last) {
            last = object;
            have = clip_box(clip_path, count_paths, count_segments, get_segment, get_point,
                            object, c);
        }
        if (!have)
            continue;
        const double *t = tight + 4 * k; /* left, right, bottom, top */
        int inside = t[0] < c[2] && t[1] > c[0] && t[2] < c[3] && t[3] > c[1];
        int past = t[0] < c[0] - margin || t[1] > c[2] + margin || t[2] < c[1] - margin ||
                   t[3] > c[3] + margin;
        if (inside && past) {
            if (found < cap)
                out[found] = k;
            found++;
        }
    }
    return found;
}

static struct PyModuleDef bulk_module = {
    PyModuleDef_HEAD_INIT, "_bulk",
    "PDFium bulk calls for xxgk.readers.pdf (loaded with ctypes).", 0, NULL, NULL, NULL, NULL,
    NULL,
};

PyMODINIT_FUNC PyInit__bulk(void) { return PyModuleDef_Init(&bulk_module); }
