using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace WalkieTalkie.NanoGate;

/// <summary>
/// Decodes signatures and reports generic instantiations and multi-dimensional arrays wherever they occur:
/// a field of type <c>int[,]</c> or a local of type <c>Action&lt;int&gt;</c> needs no TypeSpec row, so
/// counting rows alone would miss them.
/// </summary>
internal sealed class SignatureScanner : ISignatureTypeProvider<string, object?>
{
    private readonly MetadataReader _reader;
    private readonly List<GateViolation> _violations;
    private string _where = "";

    public SignatureScanner(MetadataReader reader, List<GateViolation> violations)
    {
        _reader = reader;
        _violations = violations;
    }

    public void Scan(string where, Action<SignatureScanner> decode)
    {
        _where = where;
        decode(this);
    }

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
    {
        var name = $"{genericType}<{string.Join(",", typeArguments)}>";
        _violations.Add(new GateViolation("generic instantiation", $"{name} in {_where}"));
        return name;
    }

    public string GetArrayType(string elementType, ArrayShape shape)
    {
        var name = $"{elementType}[{new string(',', shape.Rank - 1)}]";
        _violations.Add(new GateViolation("multi-dimensional array", $"{name} in {_where}"));
        return name;
    }

    public string GetSZArrayType(string elementType) => elementType + "[]";
    public string GetByReferenceType(string elementType) => elementType + "&";
    public string GetPointerType(string elementType) => elementType + "*";
    public string GetPinnedType(string elementType) => elementType;
    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
    public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
    public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
    public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
        => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        var type = reader.GetTypeDefinition(handle);
        return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
    }

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        var type = reader.GetTypeReference(handle);
        return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
    }

    internal string Name(TypeDefinitionHandle handle) => GetTypeFromDefinition(_reader, handle, 0);
}
