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

typedef void *handle;

/* What the reader checks before it uses the functions below (a stale build of an older
 * version of this file is not used). */
int xxgk_bulk_version(void) { return 2; }
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

static struct PyModuleDef bulk_module = {
    PyModuleDef_HEAD_INIT, "_bulk",
    "PDFium bulk calls for xxgk.readers.pdf (loaded with ctypes).", 0, NULL,
};

PyMODINIT_FUNC PyInit__bulk(void) { return PyModuleDef_Init(&bulk_module); }
