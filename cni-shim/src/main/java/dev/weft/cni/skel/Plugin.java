package dev.weft.cni.skel;

import dev.weft.cni.types.CniException;
import dev.weft.cni.types.Result;

/**
 * What a CNI plugin implements; {@link Skel} does the protocol around it (environment, stdin,
 * version checks, output, error JSON). VERSION is answered by the skeleton itself.
 */
public interface Plugin {
    /** Attaches the container; the result is written in the configuration's version. */
    Result add(CmdArgs args) throws CniException;

    /** Detaches the container; succeeds when it is already gone. */
    void del(CmdArgs args) throws CniException;

    /** Fails when the container's networking is not what ADD set up. */
    void check(CmdArgs args) throws CniException;

    /** Fails with code 50 or 51 when the plugin cannot serve ADDs now. */
    void status(CmdArgs args) throws CniException;

    /** Releases everything held for attachments not listed in {@code cni.dev/valid-attachments}. */
    void gc(CmdArgs args) throws CniException;
}
