using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace WalkieTalkie.NanoGate;

/// <summary>
/// The rules nanoFramework 1.x imposes beyond what the compiler checks: no generic definitions (GenericParam
/// rows), no generic method instantiations (MethodSpec rows), no generic type instances and no
/// multi-dimensional arrays anywhere in a signature. Such code compiles against mscorlib 1.17 but fails in
/// the metadata processor or at run time on the device.
/// </summary>
public static class MetadataGate
{
    public static IReadOnlyList<GateViolation> Check(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            return [new GateViolation("not an assembly", assemblyPath)];
        }

        return Check(pe.GetMetadataReader());
    }

    public static IReadOnlyList<GateViolation> Check(MetadataReader reader)
    {
        var violations = new List<GateViolation>();
        var scanner = new SignatureScanner(reader, violations);

        var genericParams = reader.GetTableRowCount(TableIndex.GenericParam);
        for (var row = 1; row <= genericParams; row++)
        {
            var parameter = reader.GetGenericParameter(MetadataTokens.GenericParameterHandle(row));
            violations.Add(new GateViolation("generic definition",
                $"type parameter {reader.GetString(parameter.Name)} of {Owner(reader, scanner, parameter.Parent)}"));
        }

        var methodSpecs = reader.GetTableRowCount(TableIndex.MethodSpec);
        for (var row = 1; row <= methodSpecs; row++)
        {
            var spec = reader.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
            violations.Add(new GateViolation("generic method instantiation",
                $"{Owner(reader, scanner, spec.Method)} (MethodSpec row {row})"));
        }

        var typeSpecs = reader.GetTableRowCount(TableIndex.TypeSpec);
        for (var row = 1; row <= typeSpecs; row++)
        {
            var handle = MetadataTokens.TypeSpecificationHandle(row);
            scanner.Scan($"TypeSpec row {row}", s => reader.GetTypeSpecification(handle).DecodeSignature(s, null));
        }

        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            var typeName = scanner.Name(typeHandle);
            foreach (var fieldHandle in type.GetFields())
            {
                var field = reader.GetFieldDefinition(fieldHandle);
                scanner.Scan($"field {typeName}.{reader.GetString(field.Name)}", s => field.DecodeSignature(s, null));
            }

            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                var where = $"method {typeName}.{reader.GetString(method.Name)}";
                scanner.Scan(where, s => method.DecodeSignature(s, null));
            }
        }

        foreach (var memberHandle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(memberHandle);
            var where = $"reference to {reader.GetString(member.Name)}";
            if (member.GetKind() == MemberReferenceKind.Method)
            {
                scanner.Scan(where, s => member.DecodeMethodSignature(s, null));
            }
            else
            {
                scanner.Scan(where, s => member.DecodeFieldSignature(s, null));
            }
        }

        var standalone = reader.GetTableRowCount(TableIndex.StandAloneSig);
        for (var row = 1; row <= standalone; row++)
        {
            var signature = reader.GetStandaloneSignature(MetadataTokens.StandaloneSignatureHandle(row));
            if (signature.GetKind() == StandaloneSignatureKind.LocalVariables)
            {
                scanner.Scan($"locals (StandAloneSig row {row})", s => signature.DecodeLocalSignature(s, null));
            }
        }

        // One use of a generic shows up in several places (the TypeSpec and the member that uses it); report each place once.
        return violations.Distinct().ToList();
    }

    private static string Owner(MetadataReader reader, SignatureScanner scanner, EntityHandle owner) => owner.Kind switch
    {
        HandleKind.TypeDefinition => scanner.Name((TypeDefinitionHandle)owner),
        HandleKind.MethodDefinition => MethodName(reader, scanner, (MethodDefinitionHandle)owner),
        HandleKind.MemberReference => reader.GetString(reader.GetMemberReference((MemberReferenceHandle)owner).Name),
        _ => owner.Kind.ToString(),
    };

    private static string MethodName(MetadataReader reader, SignatureScanner scanner, MethodDefinitionHandle handle)
    {
        var method = reader.GetMethodDefinition(handle);
        return scanner.Name(method.GetDeclaringType()) + "." + reader.GetString(method.Name);
    }
}
