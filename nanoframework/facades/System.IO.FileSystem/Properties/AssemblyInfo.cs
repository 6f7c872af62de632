using System.Reflection;

// The version of the real System.IO.FileSystem in NuGet package nanoFramework.System.IO.FileSystem 1.1.87. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.1.87.0")]
[assembly: AssemblyTitle("System.IO.FileSystem (compile-only facade, never deployed)")]
