import { Component, type ComponentType, type ReactNode } from 'react';

export interface ErrorFallbackProps {
  error: unknown;
  /** Clears the error and renders the children again. */
  reset: () => void;
}

interface ErrorBoundaryProps {
  fallback: ComponentType<ErrorFallbackProps>;
  onReset?: () => void;
  children: ReactNode;
}

/** React still needs a class for this: no hook catches a render error. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, { error: unknown; failed: boolean }> {
  override state = { error: null as unknown, failed: false };

  static getDerivedStateFromError(error: unknown) {
    return { error, failed: true };
  }

  private reset = () => {
    this.props.onReset?.();
    this.setState({ error: null, failed: false });
  };

  override render() {
    const Fallback = this.props.fallback;
    if (this.state.failed) return <Fallback error={this.state.error} reset={this.reset} />;
    return this.props.children;
  }
}
