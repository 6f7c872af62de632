using System;

namespace nanoFramework.Runtime.Native
{
    /// <summary>The managed heap's garbage collector, as nanoCLR exposes it.</summary>
    public static class GC
    {
        /// <summary>Runs a collection and returns the free managed heap in bytes.</summary>
        /// <param name="compactHeap">Whether to compact the heap after collecting.</param>
        public static uint Run(bool compactHeap) => throw new NotSupportedException();

        /// <summary>Turns the collector's diagnostic messages on or off.</summary>
        public static void EnableGCMessages(bool enable) => throw new NotSupportedException();
    }
}
