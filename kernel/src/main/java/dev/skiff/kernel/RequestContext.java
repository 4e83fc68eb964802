package dev.skiff.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.wire.Message;

/** The {@link KernelContext} for one request, publishing through the kernel's IOPub and stdin threads. */
final class RequestContext implements KernelContext {

    private final Message request;
    private final IopubPublisher iopub;
    private final StdinBridge stdin;

    RequestContext(Message request, IopubPublisher iopub, StdinBridge stdin) {
        this.request = request;
        this.iopub = iopub;
        this.stdin = stdin;
    }

    @Override
    public Message request() {
        return request;
    }

    @Override
    public void publish(String msgType, ObjectNode content) {
        iopub.publish(request, msgType, content);
    }

    @Override
    public boolean allowStdin() {
        return request.content().path("allow_stdin").asBoolean(false);
    }

    @Override
    public String readInput(String prompt, boolean password) throws InterruptedException {
        if (!allowStdin()) {
            throw new StdinNotAllowedException("cannot read input: " + request.msgType() + " " + request.msgId()
                    + " was sent with allow_stdin false, so the frontend does not accept input requests");
        }
        return stdin.readInput(request, prompt, password);
    }
}
