/* clangapi.h - libclang, loaded on first use.
 *
 * leaklint does not link libclang: the dynamic loader would map and relocate
 * libclang and libLLVM (about 90 ms and 60 MB here) on every start, also for
 * re-runs answered from the result cache and for --help. Modules that call
 * libclang include this header instead of <clang-c/Index.h>: every clang_*
 * function they use becomes a pointer in ll_clang_fn, filled by
 * ll_clang_load from the libclang leaklint was built against (or the
 * LEAKLINT_LIBCLANG environment variable). A function used anywhere must be
 * listed in LL_CLANG_FUNCS, or the build fails at link time. */
#ifndef LL_CLANGAPI_H
#define LL_CLANGAPI_H

#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>

/* clang-format off */
#define LL_CLANG_FUNCS(X) \
  X(CXXMethod_isStatic) \
  X(CompilationDatabase_dispose) \
  X(CompilationDatabase_fromDirectory) \
  X(CompilationDatabase_getAllCompileCommands) \
  X(CompileCommand_getArg) \
  X(CompileCommand_getDirectory) \
  X(CompileCommand_getFilename) \
  X(CompileCommand_getNumArgs) \
  X(CompileCommands_dispose) \
  X(CompileCommands_getCommand) \
  X(CompileCommands_getSize) \
  X(Cursor_Evaluate) \
  X(Cursor_getArgument) \
  X(Cursor_getNumArguments) \
  X(Cursor_getStorageClass) \
  X(Cursor_isInlineNamespace) \
  X(Cursor_isNull) \
  X(EvalResult_dispose) \
  X(EvalResult_getAsLongLong) \
  X(EvalResult_getAsUnsigned) \
  X(EvalResult_getKind) \
  X(EvalResult_isUnsignedInt) \
  X(File_isEqual) \
  X(Location_isInSystemHeader) \
  X(createIndex) \
  X(disposeDiagnostic) \
  X(disposeIndex) \
  X(disposeString) \
  X(disposeTranslationUnit) \
  X(equalCursors) \
  X(equalTypes) \
  X(getCString) \
  X(getCanonicalCursor) \
  X(getCanonicalType) \
  X(getClangVersion) \
  X(getCursorDefinition) \
  X(getCursorExtent) \
  X(getCursorKind) \
  X(getCursorLocation) \
  X(getCursorReferenced) \
  X(getCursorSemanticParent) \
  X(getCursorSpelling) \
  X(getCursorType) \
  X(getCursorUSR) \
  X(getDiagnostic) \
  X(getDiagnosticLocation) \
  X(getDiagnosticSeverity) \
  X(getDiagnosticSpelling) \
  X(getEnumConstantDeclValue) \
  X(getExpansionLocation) \
  X(getFile) \
  X(getFileContents) \
  X(getFileName) \
  X(getInclusions) \
  X(getLocationForOffset) \
  X(getNullCursor) \
  X(getNumDiagnostics) \
  X(getPointeeType) \
  X(getRangeEnd) \
  X(getRangeStart) \
  X(getSpellingLocation) \
  X(getTranslationUnitCursor) \
  X(getTypeDeclaration) \
  X(getTypeSpelling) \
  X(hashCursor) \
  X(isCursorDefinition) \
  X(isExpression) \
  X(isInvalid) \
  X(isStatement) \
  X(parseTranslationUnit2) \
  X(visitChildren) \
  X(getOverriddenCursors) \
  X(disposeOverriddenCursors) \
  X(Cursor_isDynamicCall) \
  X(Type_getTemplateArgumentAsType) \
  X(Type_getNumTemplateArguments) \
  X(CXXMethod_isVirtual) \
  X(getCursorLanguage) \
  X(getArrayElementType) \
  X(Range_isNull)
/* clang-format on */

typedef struct ll_clang_api {
#define LL_CLANG_PTR(name) __typeof__(clang_##name) *name;
  LL_CLANG_FUNCS(LL_CLANG_PTR)
#undef LL_CLANG_PTR
} ll_clang_api;

extern ll_clang_api ll_clang_fn;

/* Loads libclang once (thread-safe; later calls return the first result).
 * 0 on success; -1 with *err set to a static message (do not free). Until
 * it succeeded, no clang_* function may be called. */
int ll_clang_load(const char **err);

#ifndef LL_CLANGAPI_IMPL
#define clang_CXXMethod_isStatic (ll_clang_fn.CXXMethod_isStatic)
#define clang_CompilationDatabase_dispose (ll_clang_fn.CompilationDatabase_dispose)
#define clang_CompilationDatabase_fromDirectory (ll_clang_fn.CompilationDatabase_fromDirectory)
#define clang_CompilationDatabase_getAllCompileCommands (ll_clang_fn.CompilationDatabase_getAllCompileCommands)
#define clang_CompileCommand_getArg (ll_clang_fn.CompileCommand_getArg)
#define clang_CompileCommand_getDirectory (ll_clang_fn.CompileCommand_getDirectory)
#define clang_CompileCommand_getFilename (ll_clang_fn.CompileCommand_getFilename)
#define clang_CompileCommand_getNumArgs (ll_clang_fn.CompileCommand_getNumArgs)
#define clang_CompileCommands_dispose (ll_clang_fn.CompileCommands_dispose)
#define clang_CompileCommands_getCommand (ll_clang_fn.CompileCommands_getCommand)
#define clang_CompileCommands_getSize (ll_clang_fn.CompileCommands_getSize)
#define clang_Cursor_Evaluate (ll_clang_fn.Cursor_Evaluate)
#define clang_Cursor_getArgument (ll_clang_fn.Cursor_getArgument)
#define clang_Cursor_getNumArguments (ll_clang_fn.Cursor_getNumArguments)
#define clang_Cursor_getStorageClass (ll_clang_fn.Cursor_getStorageClass)
#define clang_Cursor_isInlineNamespace (ll_clang_fn.Cursor_isInlineNamespace)
#define clang_Cursor_isNull (ll_clang_fn.Cursor_isNull)
#define clang_EvalResult_dispose (ll_clang_fn.EvalResult_dispose)
#define clang_EvalResult_getAsLongLong (ll_clang_fn.EvalResult_getAsLongLong)
#define clang_EvalResult_getAsUnsigned (ll_clang_fn.EvalResult_getAsUnsigned)
#define clang_EvalResult_getKind (ll_clang_fn.EvalResult_getKind)
#define clang_EvalResult_isUnsignedInt (ll_clang_fn.EvalResult_isUnsignedInt)
#define clang_File_isEqual (ll_clang_fn.File_isEqual)
#define clang_Location_isInSystemHeader (ll_clang_fn.Location_isInSystemHeader)
#define clang_createIndex (ll_clang_fn.createIndex)
#define clang_disposeDiagnostic (ll_clang_fn.disposeDiagnostic)
#define clang_disposeIndex (ll_clang_fn.disposeIndex)
#define clang_disposeString (ll_clang_fn.disposeString)
#define clang_disposeTranslationUnit (ll_clang_fn.disposeTranslationUnit)
#define clang_equalCursors (ll_clang_fn.equalCursors)
#define clang_equalTypes (ll_clang_fn.equalTypes)
#define clang_getCString (ll_clang_fn.getCString)
#define clang_getCanonicalCursor (ll_clang_fn.getCanonicalCursor)
#define clang_getCanonicalType (ll_clang_fn.getCanonicalType)
#define clang_getClangVersion (ll_clang_fn.getClangVersion)
#define clang_getCursorDefinition (ll_clang_fn.getCursorDefinition)
#define clang_getCursorExtent (ll_clang_fn.getCursorExtent)
#define clang_getCursorKind (ll_clang_fn.getCursorKind)
#define clang_getCursorLocation (ll_clang_fn.getCursorLocation)
#define clang_getCursorReferenced (ll_clang_fn.getCursorReferenced)
#define clang_getCursorSemanticParent (ll_clang_fn.getCursorSemanticParent)
#define clang_getCursorSpelling (ll_clang_fn.getCursorSpelling)
#define clang_getCursorType (ll_clang_fn.getCursorType)
#define clang_getCursorUSR (ll_clang_fn.getCursorUSR)
#define clang_getDiagnostic (ll_clang_fn.getDiagnostic)
#define clang_getDiagnosticLocation (ll_clang_fn.getDiagnosticLocation)
#define clang_getDiagnosticSeverity (ll_clang_fn.getDiagnosticSeverity)
#define clang_getDiagnosticSpelling (ll_clang_fn.getDiagnosticSpelling)
#define clang_getEnumConstantDeclValue (ll_clang_fn.getEnumConstantDeclValue)
#define clang_getExpansionLocation (ll_clang_fn.getExpansionLocation)
#define clang_getFile (ll_clang_fn.getFile)
#define clang_getFileContents (ll_clang_fn.getFileContents)
#define clang_getFileName (ll_clang_fn.getFileName)
#define clang_getInclusions (ll_clang_fn.getInclusions)
#define clang_getLocationForOffset (ll_clang_fn.getLocationForOffset)
#define clang_getNullCursor (ll_clang_fn.getNullCursor)
#define clang_getNumDiagnostics (ll_clang_fn.getNumDiagnostics)
#define clang_getPointeeType (ll_clang_fn.getPointeeType)
#define clang_getRangeEnd (ll_clang_fn.getRangeEnd)
#define clang_getRangeStart (ll_clang_fn.getRangeStart)
#define clang_getSpellingLocation (ll_clang_fn.getSpellingLocation)
#define clang_getTranslationUnitCursor (ll_clang_fn.getTranslationUnitCursor)
#define clang_getTypeDeclaration (ll_clang_fn.getTypeDeclaration)
#define clang_getTypeSpelling (ll_clang_fn.getTypeSpelling)
#define clang_hashCursor (ll_clang_fn.hashCursor)
#define clang_isCursorDefinition (ll_clang_fn.isCursorDefinition)
#define clang_isExpression (ll_clang_fn.isExpression)
#define clang_isInvalid (ll_clang_fn.isInvalid)
#define clang_isStatement (ll_clang_fn.isStatement)
#define clang_parseTranslationUnit2 (ll_clang_fn.parseTranslationUnit2)
#define clang_visitChildren (ll_clang_fn.visitChildren)
#define clang_getOverriddenCursors (ll_clang_fn.getOverriddenCursors)
#define clang_disposeOverriddenCursors (ll_clang_fn.disposeOverriddenCursors)
#define clang_Cursor_isDynamicCall (ll_clang_fn.Cursor_isDynamicCall)
#define clang_Type_getTemplateArgumentAsType (ll_clang_fn.Type_getTemplateArgumentAsType)
#define clang_Type_getNumTemplateArguments (ll_clang_fn.Type_getNumTemplateArguments)
#define clang_CXXMethod_isVirtual (ll_clang_fn.CXXMethod_isVirtual)
#define clang_getCursorLanguage (ll_clang_fn.getCursorLanguage)
#define clang_getArrayElementType (ll_clang_fn.getArrayElementType)
#define clang_Range_isNull (ll_clang_fn.Range_isNull)
#endif

#endif
