/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libxml2 loaded on first use (dlopen): only a JUnit report pays for it and for the ICU and libstdc++ it brings. */
#ifndef IA_XML_LIB_H
#define IA_XML_LIB_H

#include <libxml/xmlwriter.h>

/* The libxml2 functions the JUnit writer calls; one line each, sorted. A call is written
 * ia_<libxml2's name>(...), e.g. ia_xmlNewTextWriter(), after ia_xml_load() succeeded. */
#define IA_XML_FUNCS(X) \
	X(xmlFreeTextWriter) \
	X(xmlNewTextWriter) \
	X(xmlOutputBufferClose) \
	X(xmlOutputBufferCreateFile) \
	X(xmlTextWriterEndDocument) \
	X(xmlTextWriterEndElement) \
	X(xmlTextWriterSetIndent) \
	X(xmlTextWriterSetIndentString) \
	X(xmlTextWriterStartDocument) \
	X(xmlTextWriterStartElement) \
	X(xmlTextWriterWriteAttribute) \
	X(xmlTextWriterWriteString)

/** The table ia_xml_load() fills: one pointer per function of IA_XML_FUNCS, libxml2's type. */
struct ia_xml_fns {
#define IA_XML_FN_PTR(name) __typeof__(name) *name;
	IA_XML_FUNCS(IA_XML_FN_PTR)
#undef IA_XML_FN_PTR
};
extern struct ia_xml_fns ia_xml_fns;

/**
 * ia_xml_load() - load libxml2 (IA_LIBXML2_SONAME, the soname the build found, e.g.
 * "libxml2.so.2") and resolve every function of IA_XML_FUNCS, once per process (src/core/dlib.h).
 * @err: out, on failure "libxml2.so.2 cannot be loaded (<dlerror()>); install the package that
 * provides it (Debian: libxml2) to write JUnit reports".
 * Return: 0; -ENOENT when the library or one of its functions is missing (every pointer is NULL).
 */
int ia_xml_load(const char **err);

/* ia_xmlNewTextWriter() calls libxml2's xmlNewTextWriter(), and so on. */
#define ia_xmlFreeTextWriter (*ia_xml_fns.xmlFreeTextWriter)
#define ia_xmlNewTextWriter (*ia_xml_fns.xmlNewTextWriter)
#define ia_xmlOutputBufferClose (*ia_xml_fns.xmlOutputBufferClose)
#define ia_xmlOutputBufferCreateFile (*ia_xml_fns.xmlOutputBufferCreateFile)
#define ia_xmlTextWriterEndDocument (*ia_xml_fns.xmlTextWriterEndDocument)
#define ia_xmlTextWriterEndElement (*ia_xml_fns.xmlTextWriterEndElement)
#define ia_xmlTextWriterSetIndent (*ia_xml_fns.xmlTextWriterSetIndent)
#define ia_xmlTextWriterSetIndentString (*ia_xml_fns.xmlTextWriterSetIndentString)
#define ia_xmlTextWriterStartDocument (*ia_xml_fns.xmlTextWriterStartDocument)
#define ia_xmlTextWriterStartElement (*ia_xml_fns.xmlTextWriterStartElement)
#define ia_xmlTextWriterWriteAttribute (*ia_xml_fns.xmlTextWriterWriteAttribute)
#define ia_xmlTextWriterWriteString (*ia_xml_fns.xmlTextWriterWriteString)

#endif
