using System;

namespace nanoFramework.Hardware.Esp32
{
    /// <summary>The ESP-IDF (native) heap, not the managed heap.</summary>
    public class NativeMemory
    {
        /// <summary>Which native memory to report.</summary>
        public enum MemoryType
        {
            /// <summary>All of it.</summary>
            All,

            /// <summary>Internal RAM.</summary>
            Internal,

            /// <summary>PSRAM.</summary>
            SpiRam,
        }

        /// <summary>Sizes of a native memory region in bytes.</summary>
        public static void GetMemoryInfo(MemoryType memType, out uint totalSize, out uint totalFreeSize, out uint largestFreeBlock) => throw new NotSupportedException();
    }
}
